"""Test helpers shared by the chapter2 test modules."""
