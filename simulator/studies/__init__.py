"""Studies built from runs: the runner, the replicate loop and the study registry, decomposition,
calibration and its targets, sensitivity, validation.
"""
