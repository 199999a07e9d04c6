"""Plain PyNEST scripts (tests/python/scripts) run unchanged with `import starling as nest` and
print what NEST 3.10 prints for them (the expected lines: the same scripts run with `import
nest`)."""
import os
import subprocess
import sys

import pytest

SCRIPTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "scripts")

EXPECTED = {
    "pynest_basic.py": [
        "parrot spikes 12",
        "neuron 0 spikes [8.2, 14.0, 32.5, 59.9]",
        "neuron 1 spikes [8.8, 14.4, 33.0]",
        "voltmeter samples 118",
        "V_m at 60 ms [-70.0, -56.929389]",
        "connections 18",
    ],
    "pynest_brunel_delta.py": [
        "neurons 1250",
        "connections 157600",
        "excitatory rate moderate True",
        "inhibitory rate moderate True",
        "senders True",
        "default tau_m 20.0",
    ],
}


@pytest.mark.parametrize("script", sorted(EXPECTED))
def test_pynest_script_runs_unchanged(script):
    out = subprocess.run([sys.executable, os.path.join(SCRIPTS, script)], check=True,
                         capture_output=True, text=True).stdout.splitlines()
    assert out == EXPECTED[script]
