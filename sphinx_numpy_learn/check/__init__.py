"""``sphinx-numpy-learn check``: the rules (:mod:`.registry`, :mod:`.rules`,
:mod:`.titles`, :mod:`.content`), the page readers (:mod:`.parse`, :mod:`.myst`,
:mod:`.rst`, :mod:`.outline`), the project run (:mod:`.runner`) and its output
(:mod:`.output`)."""
