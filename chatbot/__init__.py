"""A patient FAQ chatbot for autoimmune neutropenia."""

from .problems import KnowledgeBaseError, Problem

__all__ = ["KnowledgeBaseError", "Problem"]
__version__ = "0.1.0"
