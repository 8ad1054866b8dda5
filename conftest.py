"""The repository's pytest configuration for the notebooks.

The tolerant nbval comparison is a tool of this project's tests, so it is
loaded here, where these notebooks are tested, and not by an entry point that
would reach every pytest run of every project where chapter2 is installed.
"""

pytest_plugins = ["authoring.nbval_plugin"]
