"""A patient FAQ chatbot for autoimmune neutropenia.

    from chatbot import Bot
    bot = Bot()                       # the bundled knowledge base
    reply = bot.ask("does it go away?")
    print(reply.kind, reply.text)
"""

from .bot import Bot
from .problems import KnowledgeBaseError, Problem
from .reply import Choice, Reply, Source

__all__ = ["Bot", "Reply", "Choice", "Source", "KnowledgeBaseError", "Problem"]
__version__ = "0.1.0"
