import pytest

import starling


@pytest.fixture(autouse=True)
def fresh_kernel():
    """Every test starts from a reset kernel on the CPU back end."""
    starling.ResetKernel()
    starling.SetKernelStatus({"backend": "cpu"})
    yield
