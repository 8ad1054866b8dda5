"""How a layer's weights start: Glorot-uniform kernels, as in Keras.

One function, shared by the engine's ``layers.Dense`` and the autodiff
``autodiff.nn.Dense``, so that after the same ``set_random_seed(seed)`` both
start from identical weights. (``chapter2.scratch`` writes the same rule out
again on purpose: that module rebuilds everything from nothing.)
"""

from __future__ import annotations

import numpy as np

from .seeding import generator
from .validation import allocate, check_int


def glorot_uniform(fan_in: int, fan_out: int, dtype: str | np.dtype = "float32") -> np.ndarray:
    """Weights uniform in ``[-limit, limit]``, ``limit = sqrt(6 / (fan_in + fan_out))``.

    The limit keeps the variance of the signal about the same from layer to
    layer. Drawn from chapter2's generator, so ``set_random_seed`` fixes it.

    Parameters
    ----------
    fan_in, fan_out : int
        Inputs and outputs of the layer.
    dtype : str or dtype, default "float32"

    Returns
    -------
    ndarray, shape (fan_in, fan_out)

    Raises
    ------
    chapter2.errors.OutOfMemoryError
        If the kernel cannot fit in memory (say ``fan_out=10**9``).

    Examples
    --------
    >>> w = glorot_uniform(784, 512)
    >>> w.shape, w.dtype, bool(abs(w).max() <= np.sqrt(6 / 1296))
    ((784, 512), dtype('float32'), True)
    """
    fan_in, fan_out = check_int(fan_in, "fan_in", minimum=1), check_int(fan_out, "fan_out", minimum=1)
    dtype = np.dtype(dtype)
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    count = fan_in * fan_out
    # The draw is made in float64 and then cast, so both copies exist for a moment.
    return allocate(lambda: generator().uniform(-limit, limit, size=(fan_in, fan_out)).astype(dtype),
                    count * (8 + dtype.itemsize), f"a {fan_in} x {fan_out} kernel",
                    "use fewer units (the chapter's network has 512)")


__all__ = ["glorot_uniform"]
