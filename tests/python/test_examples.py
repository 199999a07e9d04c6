"""The example scripts of examples/python: they run, write their plots, and the Brunel network
built with the PyNEST verbs is the one of examples/brunel/brunel.json (same spikes)."""
import os
import subprocess
import sys

import numpy as np
import pytest

import starling as nest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(REPO, "examples", "python")
sys.path.insert(0, EXAMPLES)
import brunel  # noqa: E402
import brunel_statistics  # noqa: E402


def run_example(name, *args):
    return subprocess.run([sys.executable, os.path.join(EXAMPLES, name), *args], check=True,
                          capture_output=True, text=True, env=dict(os.environ, MPLBACKEND="Agg")).stdout


def test_brunel_example_equals_the_model_file():
    exc, inh, sr = brunel.build(10000, backend="cpu")
    nest.Simulate(100.0)
    ev = sr.events
    mine = sorted(zip(ev["times"].tolist(), ev["senders"].tolist()))
    m = nest.LoadModelFile(os.path.join(REPO, "examples", "brunel", "brunel.json"))
    nest.Simulate(100.0)
    theirs = []
    for name in ("exc", "inh"):
        e = m.recorders[f"{name}_spikes"].events
        theirs += zip(e["times"].tolist(), e["senders"].tolist())
    assert len(mine) > 10000
    assert mine == sorted(theirs)


def test_brunel_example_writes_the_raster(tmp_path):
    out = run_example("brunel.py", "--neurons", "2000", "--t-sim", "200", "--backend", "cpu",
                      "--output", str(tmp_path))
    assert (tmp_path / "brunel_raster.png").stat().st_size > 10000
    assert "exc:" in out and "spikes/s" in out


def test_statistics_of_regular_and_poisson_trains():
    # Regular trains: CV 0, rate exact; independent trains: correlations near 0.
    senders = np.repeat(np.arange(1, 5), 10)
    times = np.tile(np.arange(1, 11) * 10.0, 4)
    np.testing.assert_allclose(brunel_statistics.rates(senders, 1, 4, 100.0), 100.0)
    np.testing.assert_allclose(brunel_statistics.cv_isi(senders, times, 1, 4), 0.0, atol=1e-12)
    rng = np.random.default_rng(1)
    t = rng.uniform(0.0, 10000.0, 20000)
    s = rng.integers(1, 21, 20000)
    cc = brunel_statistics.correlations(s, t, 1, 20, 0.0, 10000.0)
    assert len(cc) == 190 and abs(cc.mean()) < 0.02
    # A copy of a train correlates 1 with it.
    s2 = np.concatenate([np.ones(100, int), np.full(100, 2)])
    t2 = np.tile(rng.uniform(0.0, 1000.0, 100), 2)
    np.testing.assert_allclose(brunel_statistics.correlations(s2, t2, 1, 2, 0.0, 1000.0), 1.0)


def test_statistics_example_writes_the_figure(tmp_path):
    out = run_example("brunel_statistics.py", "--neurons", "2000", "--t-sim", "300",
                      "--backend", "cpu", "--output", str(tmp_path))
    assert (tmp_path / "brunel_statistics.png").stat().st_size > 10000
    assert "CV ISI" in out and "correlation" in out


def test_stdp_pairing_example_matches_the_closed_form(tmp_path):
    out = run_example("stdp_pairing.py", "--backend", "cpu", "--output", str(tmp_path))
    assert (tmp_path / "stdp_pairing.png").stat().st_size > 10000
    rows = [line.split() for line in out.splitlines() if line[:8].strip().lstrip("-")[:1].isdigit()]
    assert len(rows) == 21
    dw = {float(r[0]): float(r[1]) for r in rows}
    assert dw[10.0] == pytest.approx(0.01 * 100.0 * np.exp(-11.0 / 20.0), abs=1e-6)
    assert dw[-10.0] == pytest.approx(-0.01 * 100.0 * np.exp(-9.0 / 20.0), abs=1e-6)
    assert "42 events" in out
    assert float(out.split("closed form: ")[1].split()[0]) < 1e-9
