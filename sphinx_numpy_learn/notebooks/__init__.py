"""Executable notebooks: running them (:mod:`.run`), reading them as MyST-NB will
(:mod:`.read`, :mod:`.format`), the cache (:mod:`.cache`), unreadable notebooks
(:mod:`.unreadable`), the build's events (:mod:`.events`, :mod:`.state`), failures on
the page (:mod:`.failures`), downloads and launch links (:mod:`.launch`), the
execution report (:mod:`.report`) and notebooks executed ahead of the build by CI
shards (:mod:`.shards`, :mod:`.shard_manifest`)."""
