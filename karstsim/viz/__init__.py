"""The web app (Solara) for policymakers and classrooms: ``karstsim viz``.

A thin consumer of the model: :mod:`.controller` holds a page's runs (built through
``karstsim.experiments.run``), :mod:`.app` lays out the page from small components
(:mod:`.levers_panel`, :mod:`.controls`, :mod:`.cards`, :mod:`.map_view`, :mod:`.charts`,
:mod:`.classroom`, :mod:`.downloads`), :mod:`.i18n` has every text in English and Chinese,
:mod:`.style` sets up matplotlib (Chinese font, layered drawing) and :mod:`.cli` registers
the command.
"""
