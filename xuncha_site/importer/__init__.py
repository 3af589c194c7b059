"""Import: a notice as received (.txt, .docx, .html) → a notice record, losing nothing.

``sources`` reads the file into blocks of text, ``parse`` finds its structure and facts, ``placement`` finds its round
and unit, ``writer`` renders the record, and :mod:`xuncha_site.commands.import_notices` is the ``xuncha import`` command around them.
"""
