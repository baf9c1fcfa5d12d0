"""Throughput and memory of fast mode vs agent mode (prints a table; not a test).

Each measurement runs in a fresh subprocess so that peak memory (``ru_maxrss``) belongs to that
measurement alone. In the child: imports, config composition and a tiny warm-up run of the same
mode (numba compile, Mesa setup) come first; ``ru_maxrss`` then is the *base*. The model is then
created (population generation) and run; ``ru_maxrss`` after that is the *peak*. Only the time
spent inside ``CreditModel.run()`` counts as simulation time.

    borrower-months/s     = n_borrowers * (months + burn_in) / seconds in run()
    peak bytes/borrower   = (peak - base) * 1024 / n_borrowers     (ru_maxrss is KiB on Linux)
    state bytes/borrower  = model.pop.nbytes() / n_borrowers

Usage (from the repository root)::

    python benchmarks/bench_modes.py                       # defaults: 1M fast, 10M fast (memory), 2k agent
    python benchmarks/bench_modes.py --big-borrowers 0     # skip the 10M memory run
    python benchmarks/bench_modes.py --borrowers 200000 --months 24 --agent-borrowers 500 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import datetime

# Targets (issue 12, "a faster month"; the end-to-end and sweep targets are in bench_runs.py).
TARGET_RATE = 25e6           # borrower-months/s, fast mode at 1M borrowers (burn-in months included)
TARGET_N = 1_000_000         # ... at this many borrowers
TARGET_BIG_N = 10_000_000    # 10M borrowers ...
TARGET_BYTES = 150.0         # ... peak <= 150 bytes/borrower above base

WARMUP_BORROWERS = 2_000
WARMUP_MONTHS = 1


# --- child: one measurement ------------------------------------------------------------------------
def _maxrss_kib() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _overrides(mode: str, n: int, months: int) -> list[str]:
    return [f"run.n_borrowers={n}", f"run.months={months}", f"run.mode={mode}", "run.replicates=1",
            "run.charts=false", "run.progress=off"]


def child(mode: str, n: int, months: int, repeat: int) -> dict:
    """Measure one (mode, n, months) in this process; returns the figures."""
    import gc

    from simulator.config import compose
    from simulator.core.model import CreditModel

    cfg = compose(_overrides(mode, n, months))
    warm_cfg = compose(_overrides(mode, WARMUP_BORROWERS, WARMUP_MONTHS))

    # Warm-up: compile the kernels, touch every code path once.
    m = CreditModel(warm_cfg)
    m.run()
    m.release()
    del m
    gc.collect()
    base = _maxrss_kib()

    best = float("inf")
    build = float("inf")
    state = 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        m = CreditModel(cfg)
        t1 = time.perf_counter()
        c1 = time.process_time()
        m.run()
        t2 = time.perf_counter()
        build = min(build, t1 - t0)
        if t2 - t1 < best:
            best, cpu = t2 - t1, time.process_time() - c1
        state = m.pop.nbytes()
        m.release()
        del m
        gc.collect()
    peak = _maxrss_kib()

    total_months = months + cfg.run.burn_in
    return {
        "mode": mode, "n": n, "months": months, "burn_in": cfg.run.burn_in, "repeat": repeat,
        "seconds": best, "build_seconds": build, "cores_busy": cpu / best,
        "rate": n * total_months / best,
        "base_kib": base, "peak_kib": peak,
        "peak_bytes_per_borrower": (peak - base) * 1024 / n,
        "state_bytes_per_borrower": state / n,
    }


# --- parent: run children, print the table -----------------------------------------------------------
def measure(mode: str, n: int, months: int, repeat: int) -> dict | None:
    cmd = [sys.executable, os.path.abspath(__file__), "--child", mode, str(n), str(months), str(repeat)]
    print(f"  running {mode} mode, {n:,} borrowers x {months} months ...", file=sys.stderr, flush=True)
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        print(f"  FAILED ({mode}, {n:,}): exit {proc.returncode}\n{proc.stderr[-2000:]}", file=sys.stderr)
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for pkg in ("numpy", "numba", "mesa", "bnpl-stress"):
        try:
            out.append(f"{pkg} {version(pkg)}")
        except PackageNotFoundError:
            out.append(f"{pkg} ?")
    return ", ".join(out)


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def report(rows: list[dict], args: argparse.Namespace) -> None:
    """Print the table, the fast/agent ratio and the targets."""
    print()
    print("bnpl-stress: fast mode vs agent mode")
    print(f"date     : {datetime.now().astimezone().isoformat(timespec='seconds')}")
    print(f"machine  : os.cpu_count()={os.cpu_count()}, platform.processor()={platform.processor()!r}"
          f"{', ' + _cpu_model() if _cpu_model() else ''}")
    print(f"system   : {platform.platform()}, Python {platform.python_version()}")
    print(f"versions : {_versions()}")
    print(f"timing   : best of {args.repeat} run(s) of CreditModel.run(); population generation and "
          "numba compile excluded")
    print()
    hdr = (f"{'mode':<6} {'borrowers':>12} {'months':>10} {'seconds':>9} {'M b-m/s':>9} {'cores':>6} "
           f"{'peak B/borr':>12} {'state B/borr':>13}")
    print(hdr)
    print("-" * len(hdr))
    for r in rows:
        months = f"{r['months']}+{r['burn_in']}"
        print(f"{r['mode']:<6} {r['n']:>12,} {months:>10} {r['seconds']:>9.3f} {r['rate'] / 1e6:>9.3f} "
              f"{r['cores_busy']:>6.2f} {r['peak_bytes_per_borrower']:>12.1f} {r['state_bytes_per_borrower']:>13.1f}")
    print()
    print("months = reported + burn-in (both simulated and counted in b-m/s); M b-m/s = millions of "
          "borrower-months per second;")
    print("cores = CPU seconds / wall seconds of run() (2.0: both cores of a 2-core machine busy; less on a "
          "shared machine);")
    print("peak B/borr = (ru_maxrss after run - ru_maxrss after warm-up) / borrowers; "
          "state B/borr = pop.nbytes() / borrowers")

    fast, big, agent = (next((r for r in rows if r["role"] == role), None) for role in ("fast", "big", "agent"))

    print()
    if fast and agent:
        print(f"speed ratio fast/agent: {fast['rate'] / agent['rate']:,.0f}x "
              f"({fast['rate'] / 1e6:.3f} M vs {agent['rate'] / 1e6:.6f} M borrower-months/s; "
              f"agent measured at {agent['n']:,} borrowers)")
    else:
        print("speed ratio fast/agent: n/a (a measurement is missing)")

    print()
    print("targets:")
    if fast:
        note = "" if fast["n"] == TARGET_N else f" [measured at {fast['n']:,} borrowers, target is at 1M]"
        print(f"  [{_verdict(fast['rate'] >= TARGET_RATE)}] fast >= {TARGET_RATE / 1e6:.0f} M borrower-months/s "
              f"at 1M borrowers: {fast['rate'] / 1e6:.2f} M{note}")
        print(f"         (1M x {fast['months']}+{fast['burn_in']} months: {fast['seconds']:.2f} s in run(); "
              "end to end, start-up and outputs included: benchmarks/bench_runs.py)")
    else:
        print("  [n/a ] fast-mode throughput targets: no fast measurement")
    if big:
        note = "" if big["n"] == TARGET_BIG_N else f" [measured at {big['n']:,} borrowers, target is at 10M]"
        print(f"  [{_verdict(big['peak_bytes_per_borrower'] <= TARGET_BYTES)}] 10M borrowers peak <= "
              f"{TARGET_BYTES:.0f} bytes/borrower above base: {big['peak_bytes_per_borrower']:.1f} "
              f"(peak {big['peak_kib'] / 2**20:.2f} GiB, base {big['base_kib'] / 2**20:.2f} GiB){note}")
    else:
        print("  [n/a ] 10M-borrower memory target: big run skipped (--big-borrowers 0) or failed")


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        mode, n, months, repeat = argv[1], int(argv[2]), int(argv[3]), int(argv[4])
        print(json.dumps(child(mode, n, months, repeat)), flush=True)
        return

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--borrowers", type=int, default=1_000_000, help="fast-mode borrowers (default 1,000,000)")
    p.add_argument("--months", type=int, default=60, help="fast-mode reported months (default 60; +burn-in)")
    p.add_argument("--agent-borrowers", type=int, default=2_000, help="agent-mode borrowers (default 2,000)")
    p.add_argument("--agent-months", type=int, default=12, help="agent-mode reported months (default 12)")
    p.add_argument("--big-borrowers", type=int, default=10_000_000,
                   help="fast-mode memory run borrowers (default 10,000,000; 0 skips it)")
    p.add_argument("--big-months", type=int, default=3, help="months of the memory run (default 3)")
    p.add_argument("--repeat", type=int, default=1, help="best of N timings (default 1)")
    args = p.parse_args(argv)
    if args.repeat < 1:
        p.error("--repeat must be >= 1")

    plan = [("fast", "fast", args.borrowers, args.months, args.repeat)]
    if args.big_borrowers > 0:
        plan.append(("big", "fast", args.big_borrowers, args.big_months, 1))
    if args.agent_borrowers > 0:
        plan.append(("agent", "agent", args.agent_borrowers, args.agent_months, args.repeat))
    rows = []
    for role, *spec in plan:
        r = measure(*spec)
        if r is not None:
            rows.append({**r, "role": role})
    report(rows, args)


if __name__ == "__main__":
    main()
