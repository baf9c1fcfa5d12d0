"""Studies built from runs: the runner and its study registry, decomposition, calibration, sensitivity, validation."""
