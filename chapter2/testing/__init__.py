"""Support for testing the notebooks: nbval with numeric tolerances for machine-dependent cells.

:mod:`~chapter2.testing.tolerance` holds the comparison (pure functions);
:mod:`~chapter2.testing.nbval_plugin` plugs it into nbval as a pytest plugin.
"""
