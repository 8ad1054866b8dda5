"""Figures the notebooks draw, one module per kind of picture.

Every function here returns a matplotlib ``Figure`` of a fixed size (so the
notebooks' stored outputs stay stable) with a title and labelled axes.
"""
