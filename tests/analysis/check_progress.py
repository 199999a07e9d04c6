#!/usr/bin/env python3
"""`starling run --progress` reports finished work.

Usage: check_progress.py STARLING WORKDIR [MPIRUN]

A network with no recorder (nothing makes the host wait for a slice, so every slice is
submitted at once) runs for 200 ms: the report at half the run must come after about half the
simulation's wall time, not at its start, and the last one (100%) at its end. With MPIRUN, two
processes run a network split over both and only one of them prints.
"""
import json
import os
import re
import shutil
import subprocess
import sys

LINE = re.compile(r"simulate: ([\d.]+) of ([\d.]+) ms done \(\s*(\d+)%, model time [\d.]+ ms\), "
                  r"wall ([\d.]+) s, RTF ([\d.]+), left ([\d.]+) s")
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def progress_lines(stderr):
    return [tuple(float(x) for x in m.groups()) for m in map(LINE.match, stderr.splitlines()) if m]


def main():
    starling, work = sys.argv[1], sys.argv[2]
    mpirun = sys.argv[3] if len(sys.argv) > 3 else ""
    here = os.path.dirname(os.path.abspath(__file__))
    shutil.rmtree(work, ignore_errors=True)  # files of an earlier run would pass for new ones
    os.makedirs(work)
    with open(os.path.join(here, "..", "..", "examples", "brunel", "brunel.json")) as f:
        model = json.load(f)
    model["recorders"] = []
    model["simulate"] = 200.0
    path = os.path.join(work, "no_recorders.json")
    with open(path, "w") as f:
        json.dump(model, f)
    p = subprocess.run([starling, "run", path, "--output", os.path.join(work, "out"),
                        "--progress", "--backend", "cpu"], capture_output=True, text=True)
    check(p.returncode == 0, f"run failed: {p.stderr}")
    sim = float(re.search(r"simulate\s+([\d.]+) s", p.stdout).group(1))
    lines = progress_lines(p.stderr)
    print(p.stderr.strip())
    print(f"simulate {sim} s")
    check(len(lines) >= 2, f"{len(lines)} progress lines")
    done = [l[0] for l in lines]
    walls = [l[3] for l in lines]
    check(done == sorted(done) and walls == sorted(walls), "progress goes backwards")
    check(lines[-1][2] == 100 and lines[-1][0] == 200.0, f"last line {lines[-1]}")
    check(lines[-1][3] >= 0.9 * sim, f"100% at {lines[-1][3]} s of wall, simulate took {sim} s")
    half = [l for l in lines if l[2] >= 50][0]
    check(half[3] >= 0.3 * sim,
          f"{half[2]:.0f}% reported at {half[3]} s of wall, simulate took {sim} s: submitted, "
          "not finished work")
    check(abs(half[4] - half[3] / (half[0] / 1000.0)) <= 0.01 * half[4] + 0.002,
          f"RTF {half[4]} is not wall / model time")
    if mpirun:
        net = os.path.join(here, "small_network.json")
        with open(net) as f:
            model = json.load(f)
        model["populations"].append(dict(model["populations"][0], name="noise1", rank=1))
        model["populations"][2]["rank"] = 1
        model["connections"][1]["source"] = "noise1"
        path = os.path.join(work, "two_processes.json")
        with open(path, "w") as f:
            json.dump(model, f)
        p = subprocess.run([mpirun, "-np", "2", "--oversubscribe", starling, "run", path,
                            "--output", os.path.join(work, "mpi"), "--progress"],
                           capture_output=True, text=True)
        check(p.returncode == 0, f"mpirun failed: {p.stderr}")
        lines = progress_lines(p.stderr)
        ends = [l for l in lines if l[2] == 100]
        check(len(ends) == 1, f"{len(ends)} processes reported the end; expected one")
        # Each process wrote the SONATA file of its own population.
        for name in ("exc_spikes.h5", "inh_spikes.h5", "inh_vm.V_m.h5"):
            check(os.path.isfile(os.path.join(work, "mpi", name)), f"mpi: no {name}")
    print(f"{len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
