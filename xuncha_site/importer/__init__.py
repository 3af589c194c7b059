"""Import: a notice as received (.txt, .docx, .html) → a notice record, losing nothing.

``sources`` reads the file into blocks of text (``webpage``, ``word`` and ``mirror`` for saved pages, Word files and
Markdown mirrors), ``chrome`` takes the page around a copied notice off its edges, ``parse`` finds its structure and
facts (``traditional`` lets it read traditional script), ``announcement`` tells a round's summary from a unit's notice,
``placement`` finds its round and unit, ``writer`` renders the record, ``audit`` checks that no line was lost, and
``command`` is the ``xuncha import`` command around them.
"""
