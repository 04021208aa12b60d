"""mlops-scaffold: a Copier template for production-grade MLOps repositories."""

__version__ = "0.1.0"
