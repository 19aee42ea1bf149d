"""The kit's core metrics beyond pandas: DuckDB, Apache Spark and BigQuery.

Placeholder docstring (rewritten below).
"""

from .sql import ENGINE_RULES

__all__ = ["ENGINE_RULES"]
