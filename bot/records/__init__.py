"""Plain frozen records and the store's one error, shared by every layer.

The bottom of the house: the store returns these values, core reasons over them, ui shows them
and cogs hand them on. Modules here import nothing but the standard library (an import-linter
contract and `tests/test_architecture.py` check it) and this package re-exports nothing: import
from the module that defines the name.
"""
