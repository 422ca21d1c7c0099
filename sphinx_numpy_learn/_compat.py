"""Every use of a private Sphinx, docutils, MyST-NB or nbclient attribute, in one
guarded place.

Sphinx gives extensions no public way to ask some questions we need answered (for
example "did ``conf.py`` set this value, or is it the default?"). The answers live in
private attributes that have been stable for many releases. Each accessor here
checks the shape of what it reads and returns ``None`` when it is not what we
expect, so that a change in Sphinx makes the caller *fail closed* (do less, and say
so) instead of silently doing the wrong thing, such as overriding a user's setting.
"""

from __future__ import annotations

from collections.abc import Callable
from types import FunctionType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config


def command_line_overrides(config: Config) -> dict[str, Any] | None:
    """The ``-D name=value`` settings of a build (public since Sphinx 7.3)."""
    overrides = getattr(config, "overrides", None)
    if overrides is None:
        overrides = getattr(config, "_overrides", None)
    return overrides if isinstance(overrides, dict) else None


def user_set_config_names(config: Config) -> set[str] | None:
    """Names set in ``conf.py`` or with ``-D``, or ``None`` when this Sphinx does not
    let us tell.

    Sphinx has no public way to tell "unset" from "set to the default value"
    (sphinx-exercise#85 runs into the same wall). ``Config`` keeps the ``conf.py``
    namespace in ``_raw_config``, stable since Sphinx 1.x.
    """
    namespace = getattr(config, "_raw_config", None)
    overrides = command_line_overrides(config)
    if not isinstance(namespace, dict) or overrides is None:
        return None
    return set(namespace) | set(overrides)


def copied_mystnb_config(nb_config: Any, **changes: Any) -> Any | None:
    """A copy of MyST-NB's ``NbParserConfig`` with ``changes``, or ``None`` when it is
    not the dataclass with a validating ``copy`` we know (MyST-NB 1.x)."""
    fields = getattr(type(nb_config), "__dataclass_fields__", None)
    copy = getattr(nb_config, "copy", None)
    if not isinstance(fields, dict) or not callable(copy) or not set(changes) <= set(fields):
        return None
    try:
        return copy(**changes)
    except Exception:  # a value this MyST-NB rejects
        return None


def set_mystnb_config(env: Any, nb_config: Any) -> None:
    """Give MyST-NB's parser ``nb_config`` for the next page: it reads
    ``env.mystnb_config`` afresh for each page (MyST-NB 1.x), which ``builder-inited``
    sets on every build."""
    if hasattr(env, "mystnb_config"):
        env.mystnb_config = nb_config


def mystnb_config(env: Any) -> Any:
    """MyST-NB's ``NbParserConfig`` of this build (``env.mystnb_config``, set by its
    ``builder-inited``), or ``None`` without MyST-NB 1.x's attribute."""
    return getattr(env, "mystnb_config", None)


def myst_config(env: Any) -> Any:
    """MyST-Parser's ``MdParserConfig`` of this build (``env.myst_config``), or ``None``."""
    return getattr(env, "myst_config", None)


def mystnb_reader_factory() -> Callable[..., Any] | None:
    """MyST-NB's ``create_nb_reader(path, md_config, nb_config, content)``, the reader
    its parser uses (``myst_nb.core.read``, MyST-NB 1.x), or ``None`` without it."""
    try:
        from myst_nb.core import read
    except ImportError:
        return None
    factory = getattr(read, "create_nb_reader", None)
    return factory if callable(factory) else None


def builder_class(env: Any) -> type[Any] | None:
    """The class of the builder at work (``env._builder_cls``, which Sphinx's own
    post-transforms read, Sphinx 7.3+), or ``None``: a post-transform has no public way
    to it."""
    found = getattr(env, "_builder_cls", None)
    return found if isinstance(found, type) else None


def mystnb_glue_references() -> tuple[type[Any], ...]:
    """The node classes of MyST-NB's that a post-transform replaces with another
    notebook's output (``PendingGlueReference``, in ``myst_nb.ext.glue.utils``, MyST-NB
    1.x): none while that module is not imported (no node of it can exist yet, and
    importing it costs a build that reads no notebook a quarter of a second); every
    element when it is, without the class we know."""
    import sys

    from docutils import nodes

    module = sys.modules.get("myst_nb.ext.glue.utils")
    if module is None:
        return ()
    node_class = getattr(module, "PendingGlueReference", None)
    if isinstance(node_class, type) and issubclass(node_class, nodes.Element):
        return (node_class,)
    return (nodes.Element,)


def run_only_where(app: Sphinx, module: str, wanted: Callable[[Any, str], bool]) -> bool:
    """Make the page-walking hooks of the extension in ``module`` (its post-transforms,
    in ``app.registry.post_transforms``, and its ``doctree-resolved`` handlers, in
    ``app.events.listeners``) do nothing on a page for which
    ``wanted(app, docname)`` is false. ``False`` (nothing changed) when
    those two tables are not what we know, so that every hook then runs as before."""
    post_transforms = getattr(getattr(app, "registry", None), "post_transforms", None)
    listeners = event_listeners(app, "doctree-resolved")
    if not isinstance(post_transforms, list) or listeners is None:
        return False
    if not all(isinstance(cls, type) for cls in post_transforms) or not all(
        hasattr(listener, "_replace") for listener in listeners
    ):
        return False
    from sphinx.transforms.post_transforms import SphinxPostTransform

    def ours(hook: Any) -> bool:
        name = getattr(hook, "__module__", None) or ""
        return name == module or name.startswith(module + ".")

    for index, cls in enumerate(post_transforms):
        if not (issubclass(cls, SphinxPostTransform) and ours(cls)) or "_learn_gated" in vars(cls):
            continue

        def is_supported(self: Any, _base: type[Any] = cls) -> bool:
            if not _base.is_supported(self):
                return False
            return wanted(app, self.env.docname)

        post_transforms[index] = type(
            cls.__name__,
            (cls,),
            {"is_supported": is_supported, "_learn_gated": True, "__module__": cls.__module__},
        )
    table = app.events.listeners["doctree-resolved"]
    for index, listener in enumerate(listeners):
        handler = listener.handler
        if not ours(handler) or getattr(handler, "_learn_gated", False):
            continue

        def gated(app: Any, doctree: Any, docname: str, _handler: Any = handler) -> Any:
            if wanted(app, docname):
                return _handler(app, doctree, docname)
            return None

        gated._learn_gated = True  # type: ignore[attr-defined]
        gated.__module__ = handler.__module__
        table[index] = listener._replace(handler=gated)
    return True


def kernel_cleanup(client: Any) -> Callable[[], Any] | None:
    """nbclient's ``NotebookClient._cleanup_kernel``, the bound method it registers with
    ``atexit`` for each run (nbclient 0.8+), or ``None`` when it has none."""
    cleanup = getattr(client, "_cleanup_kernel", None)
    return cleanup if callable(cleanup) else None


def _names(registry: Any) -> frozenset[str] | None:
    if not isinstance(registry, dict) or not all(isinstance(k, str) for k in registry):
        return None
    return frozenset(registry)


def docutils_directive_names() -> frozenset[str] | None:
    """The names of docutils' own directives (``directives._directive_registry``,
    stable since docutils 0.3), or ``None``. Read when asked, not at import."""
    from docutils.parsers.rst import directives

    return _names(getattr(directives, "_directive_registry", None))


def docutils_role_names() -> frozenset[str] | None:
    """The names of docutils' own roles (``roles._role_registry``), or ``None``."""
    from docutils.parsers.rst import roles

    return _names(getattr(roles, "_role_registry", None))


def event_listeners(app: Sphinx, event: str) -> list[Any] | None:
    """The listeners of ``event`` (objects with ``id``, ``handler`` and ``priority``, in
    ``app.events.listeners``, Sphinx 3+), or ``None`` when they are not that."""
    listeners = getattr(getattr(app, "events", None), "listeners", None)
    if not isinstance(listeners, dict):
        return None
    found = listeners.get(event, [])
    if not isinstance(found, list) or not all(
        hasattr(listener, "id")
        and callable(getattr(listener, "handler", None))
        and isinstance(getattr(listener, "priority", None), int)
        for listener in found
    ):
        return None
    return list(found)


def html_inline_math_renderers(app: Sphinx) -> list[str] | None:
    """The names of the registered HTML maths renderers
    (``app.registry.html_inline_math_renderers``), or ``None``."""
    renderers = getattr(app.registry, "html_inline_math_renderers", None)
    if not isinstance(renderers, dict):
        return None
    return [name for name in renderers if isinstance(name, str)]


def rebuild_domains(app: Sphinx, env: Any) -> bool:
    """Make ``env.domains`` anew from the registry, so domains added after the
    environment was created are in it (Sphinx 8.2+'s ``_DomainsContainer``
    ``_from_environment`` and ``_setup``). ``False`` when this Sphinx has neither."""
    container = type(env.domains)
    make = getattr(container, "_from_environment", None)
    if not callable(make) or not callable(getattr(container, "_setup", None)):
        return False
    env.domains = make(env, registry=app.registry)
    env.domains._setup()
    return True


def asset_filename(asset: Any) -> str | None:
    """The file name of one of a page's ``css_files`` or ``script_files`` (Sphinx's
    ``_CascadingStyleSheet`` and ``_JavaScript`` keep it as ``filename``; older
    Sphinx made them ``str`` subclasses), or ``None`` when it is neither."""
    filename = getattr(asset, "filename", asset)
    return filename if isinstance(filename, str) else None


def add_written_docnames(env: Any, docnames: set[str]) -> bool:
    """Add ``docnames`` to the documents the LaTeX or Texinfo builder writes into the
    current file (``builder.docnames``, the set it checks, while references are
    resolved, before linking to a document as to a place in this file). Post-transforms
    reach the builder only through the environment's ``_app`` (Sphinx 7-9). ``False``
    (and nothing done) when it is not that set: links to those documents then stay
    external."""
    builder = getattr(getattr(env, "_app", None), "builder", None)
    written = getattr(builder, "docnames", None)
    if not isinstance(written, set):
        return False
    written.update(docnames)
    return True


def share_yaml_safe_load(replacement: Callable[[Any], Any]) -> bool:
    """Make ``yaml.safe_load`` ``replacement`` (:func:`metadata.shared_safe_load`), which
    MyST-Parser and MyST-NB look up on the module each time they read front matter.
    Only over PyYAML's own function, with LibYAML (``CSafeLoader``) present; ``False``
    (and nothing changed) otherwise. Once per process: a second call keeps the first."""
    import yaml

    current = getattr(yaml, "safe_load", None)
    if current is replacement:
        return True
    if (
        getattr(current, "__module__", None) != "yaml"
        or getattr(current, "__name__", None) != "safe_load"
        or not hasattr(yaml, "CSafeLoader")
        or not hasattr(getattr(getattr(yaml, "reader", None), "Reader", None), "NON_PRINTABLE")
    ):
        return False
    yaml.safe_load = replacement  # type: ignore[assignment]
    return True


def class_handler_translators(builder: Any) -> Callable[..., Any] | None:
    """A ``create_translator`` for ``builder`` whose translators carry the handlers of
    ``app.add_node`` as methods of a subclass, made once per translator class, rather
    than as bound methods set on each translator, as Sphinx's registry does (which
    costs a ``setattr`` per handler for each of the many translators a page makes, and
    makes each translator a reference cycle). ``None`` when the registry is not what
    we know (``builder._registry`` with ``translation_handlers`` and
    ``get_translator_class``)."""
    registry = getattr(builder, "_registry", None)
    table = getattr(registry, "translation_handlers", None)
    get_class = getattr(registry, "get_translator_class", None)
    if not isinstance(table, dict) or not callable(get_class):
        return None
    made: dict[tuple[type[Any], int, int], type[Any]] = {}

    def create_translator(*args: Any) -> Any:
        base = get_class(builder)
        handlers = table.get(builder.name)
        if handlers is None:
            handlers = table.get(builder.format, {})  # as the registry falls back
        key = (base, id(handlers), len(handlers))
        cls = made.get(key)
        if cls is None:
            methods: dict[str, Any] = {"__module__": base.__module__}
            for name, (visit, depart) in handlers.items():
                methods["visit_" + name] = _method(visit)
                if depart:
                    methods["depart_" + name] = _method(depart)
            cls = made[key] = type(base.__name__, (base,), methods)
        return cls(*args)

    return create_translator


def _method(handler: Callable[..., Any]) -> Callable[..., Any]:
    """``handler`` as something that binds to the instance, as a function does (a
    ``functools.partial`` or another callable would not)."""
    if isinstance(handler, FunctionType):
        return handler

    def method(self: Any, node: Any) -> Any:
        return handler(self, node)

    return method


def after_each_page_written(builder: Any, release: Callable[[Any, list[Any]], None]) -> bool:
    """Call ``release(doctree, translators)`` each time ``builder.write_doc`` returns,
    with the translators ``builder.create_translator`` made for that page; ``False``
    (and nothing wrapped) when the builder does not have the two methods we know.

    Sphinx has no event after a page is written (``html-page-context`` comes before
    the template is rendered), so the builder's own two methods are wrapped, on this
    builder only. Where ``create_translator`` is Sphinx's own, the translators come
    from :func:`class_handler_translators` (no reference cycle left to break).
    """
    write_doc = getattr(builder, "write_doc", None)
    create_translator = getattr(builder, "create_translator", None)
    # Sphinx's, unless another extension changed it.
    sphinx_made = getattr(create_translator, "__func__", None) is _builder_create_translator()
    if not (
        callable(write_doc)
        and callable(create_translator)
        and getattr(write_doc, "__self__", None) is builder
        and getattr(create_translator, "__self__", None) is builder
    ):
        return False  # not the bound methods of Sphinx's Builder, or wrapped already
    if sphinx_made:
        create_translator = class_handler_translators(builder) or create_translator
    made: list[Any] = []

    def creating_translator(*args: Any, **kwargs: Any) -> Any:
        translator = create_translator(*args, **kwargs)
        made.append(translator)
        return translator

    def writing_doc(docname: str, doctree: Any) -> None:
        made.clear()
        write_doc(docname, doctree)
        translators = made[:]
        made.clear()
        release(doctree, translators)

    setattr(builder, "create_translator", creating_translator)  # noqa: B010
    setattr(builder, "write_doc", writing_doc)  # noqa: B010
    return True


def _builder_create_translator() -> Any:
    from sphinx.builders import Builder

    return vars(Builder).get("create_translator")


def forget_cached_translator(catalog: str) -> None:
    """Drop the translator Sphinx keeps for ``catalog`` from an earlier build in this
    process (``sphinx.locale.translators``): ``locale.init`` adds to a cached one, so a
    build in English after one in Spanish would still speak Spanish. Nothing is done
    when that table is not there."""
    from sphinx import locale

    translators = getattr(locale, "translators", None)
    if isinstance(translators, dict):
        translators.pop(("general", catalog), None)
