"""The module FacadeBench calls through its generated facade (dev.pyjama.bench.facade.BenchFacade)."""


def price(base: float, rate: float) -> float:
    """base * rate."""
    return base * rate
