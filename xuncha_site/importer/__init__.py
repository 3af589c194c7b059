"""Import: a notice as received (.txt, .docx, .html) → a notice record, losing nothing.

``sources`` reads the file into blocks of text, ``parse`` finds its structure and facts, ``placement`` finds its round
and unit, ``writer`` renders the record, and ``command`` is the ``xuncha import`` command around them.
"""

from __future__ import annotations

from .command import cmd_import

__all__ = ["cmd_import"]
