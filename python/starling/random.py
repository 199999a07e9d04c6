"""Random parameters as PyNEST's ``nest.random``: drawn by Starling per node or connection from
its counter-based generator, so results do not depend on the number of processes."""
import numpy as np


class Parameter:
    """A distribution with Starling's (NEST's) names and parameters."""

    def __init__(self, name, **params):
        self.name = name
        self.params = {k: float(v) for k, v in params.items()}

    def spec(self):
        return dict(self.params, distribution=self.name)

    def __repr__(self):
        args = ", ".join(f"{k}={v}" for k, v in self.params.items())
        return f"starling.random.{self.name}({args})"


def uniform(min=0.0, max=1.0):
    return Parameter("uniform", low=min, high=max)


def normal(mean=0.0, std=1.0):
    return Parameter("normal", mu=mean, sigma=std)


def normal_clipped(mean=0.0, std=1.0, min=-np.inf, max=np.inf):
    return Parameter("normal_clipped", mu=mean, sigma=std, low=min, high=max)


def lognormal(mean=0.0, std=1.0):
    return Parameter("lognormal", mu=mean, sigma=std)


def exponential(beta=1.0):
    return Parameter("exponential", beta=beta)


def gamma(k=1.0, theta=1.0):
    return Parameter("gamma", k=k, theta=theta)


def _as_value(v):
    """A parameter value as the kernel takes it: float, list of floats or distribution dict."""
    if isinstance(v, Parameter):
        return v.spec()
    if isinstance(v, dict):
        return dict(v)
    if isinstance(v, (str, bytes)):
        raise ValueError(f"expected a number, a list of numbers or a distribution, got {v!r}")
    if np.ndim(v) == 0:
        return float(v)
    arr = np.asarray(v)
    if arr.dtype == object:
        return [_as_value(x) for x in v]
    return arr.astype(float).tolist()
