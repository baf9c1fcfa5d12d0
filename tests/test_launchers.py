"""Sweeps give the same numbers whatever the launcher (basic, joblib, a Ray cluster, submitit) and the
number of workers; the SLURM launcher's config composes."""

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml

pytestmark = pytest.mark.slow

SMALL = ["run.n_borrowers=3000", "run.months=12", "run.burn_in=3", "run.replicates=2",
         "run.charts=false"]
# Ray maps 127.0.0.1 to the machine's outward address unless told it is one machine: with this,
# every Ray process (head, workers, the sweep's driver) binds and talks on 127.0.0.1 only.
RAY_LOOPBACK_ENV = {"RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0", "RAY_USAGE_STATS_ENABLED": "0"}


def _run_sweep(tmp_path, name, extra, env=None):
    d = tmp_path / name
    args = [sys.executable, "-m", "simulator", "-m", "economy=baseline,severe_recession",
            "run.seed=3", *SMALL, f"hydra.sweep.dir={d}", *extra]
    proc = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=600,
                          env=None if env is None else {**os.environ, **env})
    assert proc.returncode == 0, proc.stderr[-2000:]
    df = pd.read_parquet(d / "sweep_summary.parquet")
    return df.sort_values(["economy", "metric", "statistic"]).reset_index(drop=True), proc


def _sweep(tmp_path, name, extra):
    return _run_sweep(tmp_path, name, extra)[0]


def test_joblib_launcher_gives_the_same_numbers_as_the_basic_launcher(tmp_path):
    pytest.importorskip("hydra_plugins.hydra_joblib_launcher",
                        reason="hydra-joblib-launcher is not installed (pip install '.[joblib]')")
    basic = _sweep(tmp_path, "basic", [])
    joblib = _sweep(tmp_path, "joblib", ["hydra/launcher=joblib", "hydra.launcher.n_jobs=2"])
    assert len(basic) == 2 * basic["metric"].nunique() * 4
    pd.testing.assert_series_equal(basic["value"], joblib["value"])
    pd.testing.assert_series_equal(basic["economy"], joblib["economy"])


def test_resumed_sweep_skips_complete_runs_and_matches(tmp_path):
    first = _sweep(tmp_path, "sw", [])
    victim = tmp_path / "sw" / "1" / "summary.json"
    victim.unlink()                                   # an interrupted job: no summary.json
    d = tmp_path / "sw"
    args = [sys.executable, "-m", "simulator", "-m", "economy=baseline,severe_recession",
            "run.seed=3", *SMALL, f"hydra.sweep.dir={d}", "run.skip_existing=true"]
    proc = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.count("skipped: complete outputs of the same config exist") == 1
    again = pd.read_parquet(d / "sweep_summary.parquet")
    again = again.sort_values(["economy", "metric", "statistic"]).reset_index(drop=True)
    pd.testing.assert_series_equal(first["value"], again["value"])


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def ray_cluster(tmp_path):
    """A one-node Ray cluster on 127.0.0.1, started as a cluster's head node is; yields its address.

    `ray start --block` runs in its own process group and shuts its node down on SIGTERM; teardown
    sends that, then SIGKILL to whatever of the group is left, so the cluster is stopped even when
    the test fails. (Not `ray stop --force`: that kills every Ray process on the machine, a
    developer's own cluster too.)
    """
    pytest.importorskip("hydra_plugins.hydra_ray_launcher",
                        reason="hydra-ray-launcher is not installed (pip install '.[ray]')")
    ray = Path(sys.executable).with_name("ray")
    port = _free_port()
    temp_dir = tempfile.mkdtemp(prefix="ray-")       # short: Ray's socket paths live under it
    log_path = tmp_path / "ray_start.log"
    args = [str(ray), "start", "--head", "--block", "--node-ip-address=127.0.0.1", f"--port={port}",
            f"--ray-client-server-port={_free_port()}", f"--dashboard-agent-listen-port={_free_port()}",
            "--num-cpus=2", "--include-dashboard=false", "--disable-usage-stats", f"--temp-dir={temp_dir}"]
    with open(log_path, "w") as log:
        proc = subprocess.Popen(args, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                env={**os.environ, **RAY_LOOPBACK_ENV}, start_new_session=True)
    try:
        deadline = time.monotonic() + 180
        while "Ray runtime started" not in log_path.read_text(errors="replace"):
            assert proc.poll() is None, f"ray start exited {proc.returncode}:\n{log_path.read_text()[-3000:]}"
            assert time.monotonic() < deadline, f"ray start not up in 180 s:\n{log_path.read_text()[-3000:]}"
            time.sleep(0.5)
        assert "Local node IP: 127.0.0.1" in _plain(log_path.read_text(errors="replace"))
        yield f"127.0.0.1:{port}"
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=60)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)      # the group: raylet, GCS, workers, agents
        proc.wait(timeout=30)
        shutil.rmtree(temp_dir, ignore_errors=True)


def _plain(text):
    """Text without terminal colour codes."""
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


@pytest.mark.slow
def test_ray_cluster_gives_the_same_numbers_as_the_basic_launcher(tmp_path, ray_cluster):
    basic = _sweep(tmp_path, "basic", [])
    # object_store_memory=null: hydra-ray-launcher 1.2.2 otherwise passes its own object-store
    # size, which Ray refuses when it connects to an existing cluster.
    ray, proc = _run_sweep(tmp_path, "ray", ["hydra/launcher=ray", f"hydra.launcher.ray.init.address={ray_cluster}",
                                             "+hydra.launcher.ray.init.object_store_memory=null"],
                           env=RAY_LOOPBACK_ENV)
    assert f"Connecting to existing Ray cluster at address: {ray_cluster}" in proc.stderr
    assert len(basic) == 2 * basic["metric"].nunique() * 4
    pd.testing.assert_series_equal(basic["value"], ray["value"])
    pd.testing.assert_series_equal(basic["economy"], ray["economy"])


def test_slurm_launcher_config_composes_without_submitting(tmp_path):
    pytest.importorskip("hydra_plugins.hydra_submitit_launcher",
                        reason="hydra-submitit-launcher is not installed (pip install '.[slurm]')")
    from hydra.utils import get_class

    sweep_dir = tmp_path / "study"
    args = [sys.executable, "-m", "simulator", "hydra/launcher=submitit_slurm", "hydra.launcher.partition=x",
            "hydra.launcher.timeout_min=120", "hydra.launcher.cpus_per_task=4", "run.threads=4",
            f"hydra.sweep.dir={sweep_dir}", "--cfg", "hydra", "-p", "hydra.launcher", "--resolve"]
    proc = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    launcher = yaml.safe_load(proc.stdout)
    assert launcher["_target_"] == "hydra_plugins.hydra_submitit_launcher.submitit_launcher.SlurmLauncher"
    assert get_class(launcher["_target_"]).__name__ == "SlurmLauncher"
    assert launcher["partition"] == "x"
    assert (launcher["timeout_min"], launcher["cpus_per_task"]) == (120, 4)
    assert launcher["submitit_folder"] == f"{sweep_dir}/.submitit/%j"
    assert not sweep_dir.exists()                    # composed only: nothing ran, nothing was submitted


def test_submitit_local_launcher_gives_the_same_numbers_as_the_basic_launcher(tmp_path):
    # submitit's local executor: the SLURM launcher's code path (pickled job, results collected
    # from its folder) without sbatch
    pytest.importorskip("hydra_plugins.hydra_submitit_launcher",
                        reason="hydra-submitit-launcher is not installed (pip install '.[slurm]')")
    basic = _sweep(tmp_path, "basic", [])
    local = _sweep(tmp_path, "submitit", ["hydra/launcher=submitit_local", "hydra.launcher.timeout_min=10"])
    pd.testing.assert_series_equal(basic["value"], local["value"])
    pd.testing.assert_series_equal(basic["economy"], local["economy"])
