"""An expectation's configuration, built once per expectation instance in a suite run instead of once per read.

GX reads an expectation's kwargs through `Expectation.configuration`, a property that serialises the
pydantic model (`dict(exclude_defaults=True)`) into a new `ExpectationConfiguration` each time it is
read, and its kwargs helpers read it once per key: `_get_domain_kwargs` once per domain key,
`_get_success_kwargs` once per success key and the domain keys again, `_get_runtime_kwargs` those and
then once or twice per runtime key. For each metric an expectation asks for, GX's
`get_metric_kwargs` also turns that configuration back into a new expectation instance
(`ExpectationConfiguration.to_domain_obj`, a pydantic validation) to read its kwargs again. The 39
expectations of a suite run built ~5,400 configurations and ~620 instances: two fifths of the
validation of a 4-page report.

Inside `shared_configurations()` both are made once: an expectation instance's configuration once,
and a configuration's instance once, and kept while the block lasts; outside it GX is unchanged.
Neither is changed once made: GX makes a new instance from a stored configuration for each step of
a run and sets no field of one; it changes a configuration (the batch id it adds) on its own deep
copy before that copy's instance is made; the one write after (a result's `rendered_content`, with
Cloud's inline renderer) goes to the configuration of that result's own instance.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .blockmemo import BlockMemo

_MADE: BlockMemo[Any] = BlockMemo("nianbao_expectation_configurations")
_PATCHED = "_nianbao_shared_configurations"


@contextmanager
def shared_configurations() -> Iterator[None]:
    """Within the block each expectation's configuration, and each configuration's expectation, is made once."""
    with _MADE.block():
        yield


def install(expectation_class: Any, configuration_class: Any) -> None:
    """Route `expectation_class.configuration` and `configuration_class.to_domain_obj` through the block's
    memo (once; a GX where either is not what this expects is left alone)."""
    prop = getattr(expectation_class, "configuration", None)
    to_domain_obj = getattr(configuration_class, "to_domain_obj", None)
    if getattr(expectation_class, _PATCHED, False) or not isinstance(prop, property) or prop.fget is None:
        return
    if not callable(to_domain_obj):
        return
    build = prop.fget

    def configuration(self: Any) -> Any:
        return _MADE.get(self, "configuration", lambda: build(self))

    def shared_to_domain_obj(self: Any) -> Any:
        return _MADE.get(self, "expectation", lambda: to_domain_obj(self))

    expectation_class.configuration = property(configuration, doc=prop.__doc__)
    configuration_class.to_domain_obj = shared_to_domain_obj
    setattr(expectation_class, _PATCHED, True)
