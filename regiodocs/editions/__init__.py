"""Editions of the handbook: releases, changes, open data, print and review.

The Geschäftsstelle publishes the handbook in editions ("Ausgabe 2026-2").
Everything here reads checked content and writes plain files; nothing reaches
into Sphinx. Data that a page shows (the changes, the edition list, the review)
is passed *into* a build as JSON files named by ``regiodocs_*`` config values.

- :mod:`.records`  – public records as normalised plain data (the one source for the rest)
- :mod:`.manifest` – one manifest per edition: every record with its hash and field values
- :mod:`.diff`     – what was added, removed and changed between two manifests, in German
- :mod:`.exports`  – open data: JSON, CSV, CSVW, DCAT-AP.de, schema.org, CITATION.cff
- :mod:`.pdf`      – the print edition (sphinx-simplepdf / WeasyPrint)
- :mod:`.review`   – the review report: old records, overdue agreements, contacts, links
- :mod:`.release`  – ``regiodocs release``: build elsewhere, then switch atomically
- :mod:`.commands` – the subcommands ``release``, ``diff``, ``druck``, ``bericht``
"""
