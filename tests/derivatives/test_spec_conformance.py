"""Generated from ``spec/php_api.json`` at test time: every endpoint, class, Protocol method and field of
the PHP package exists in Python under its ``python_name``, each concrete DTO conforms to its Protocol,
and the spec's required fields and one-of groups are enforced before anything is sent.

Nothing here names an endpoint: adding one to the spec adds its checks.
"""

from __future__ import annotations

from typing import Any

import pytest

from carpenstar_bybit import BybitAPI, SDKException
from carpenstar_bybit.core import (
    AbstractParameters,
    AbstractResponse,
    EnumHttpMethods,
    Nested,
    PrivateEndpoint,
    PublicEndpoint,
)
from carpenstar_bybit.core import enums as core_enums
from tests.conftest import API_KEY, SECRET
from tests.derivatives.harness import (
    ENDPOINTS,
    SpecEndpoint,
    SpecField,
    getter_name,
    iter_response_fields,
    one_of_groups,
    param_of,
    sample_value,
    setter_name,
    valid_request,
)
from tests.support.recording_server import RecordingServer

each_endpoint = pytest.mark.parametrize("spec", ENDPOINTS, ids=str)


def _dto_classes(spec: SpecEndpoint) -> list[type]:
    return [spec.request_class(), *(spec.response_class(r["class"]) for r in spec.responses)]


def _is_array_item(response: dict[str, Any]) -> bool:
    return any(isinstance(read["key"], int) for read in response["reads"])


def _empty_instance(spec: SpecEndpoint, cls: type) -> object:
    """An instance of a request or response DTO class (a response read from an empty item)."""
    if issubclass(cls, AbstractParameters):
        return cls()
    assert issubclass(cls, AbstractResponse)
    (response,) = (r for r in spec.responses if r["class"] == cls.__name__)
    return cls([] if _is_array_item(response) else {})


def _spec_default(raw: str) -> object:
    """A PHP default of the spec as the Python value: ``20``, ``"linear"``, ``EnumX::MEMBER``."""
    if "::" in raw:
        enum_name, member = raw.split("::")
        return getattr(core_enums, enum_name)[member].value
    if raw[0] in "\"'":
        return raw[1:-1]
    return int(raw)


def test_the_spec_lists_the_28_endpoints_of_the_php_package() -> None:
    names = [e.name for e in ENDPOINTS]
    assert len(names) == 28
    assert len(set(names)) == 28
    assert len({e.package for e in ENDPOINTS}) == 28


@each_endpoint
def test_package_imports_and_reexports_every_class_and_interface(spec: SpecEndpoint) -> None:
    module = spec.module()
    names = [
        spec.name,
        spec.request_spec["class"],
        *(r["class"] for r in spec.responses),
        *(i["class"] for i in spec.interfaces),
    ]
    for name in names:
        assert isinstance(getattr(module, name, None), type), f"{spec.package} lacks {name}"
    assert set(names) <= set(module.__all__)


@each_endpoint
def test_endpoint_declares_the_url_method_access_and_dtos_of_the_spec(spec: SpecEndpoint) -> None:
    endpoint = spec.endpoint()
    assert endpoint.URL == spec.url
    assert endpoint.METHOD is EnumHttpMethods(spec.method)
    if spec.is_private:
        assert issubclass(endpoint, PrivateEndpoint)
        assert not issubclass(endpoint, PublicEndpoint)
        assert endpoint.IS_PRIVATE is True
    else:
        assert issubclass(endpoint, PublicEndpoint)
        assert not issubclass(endpoint, PrivateEndpoint)
        assert endpoint.IS_PRIVATE is False
    assert endpoint.REQUEST is spec.request_class()
    response_classes = {r["class"]: spec.response_class(r["class"]) for r in spec.responses}
    assert endpoint.RESPONSE in response_classes.values()
    # the other response classes of the spec are the nested items of the endpoint's response
    nested = {f.reader.item for f in endpoint.RESPONSE._fields if isinstance(f.reader, Nested)}
    assert set(response_classes.values()) - {endpoint.RESPONSE} == nested


@each_endpoint
def test_every_protocol_method_exists_on_the_protocol_and_on_its_concrete_class(spec: SpecEndpoint) -> None:
    module = spec.module()
    classes = _dto_classes(spec)
    for interface in spec.interfaces:
        protocol = getattr(module, interface["class"])
        assert getattr(protocol, "_is_protocol", False), f"{interface['class']} is not a Protocol"
        assert getattr(protocol, "_is_runtime_protocol", False), (
            f"{interface['class']} is not runtime-checkable"
        )
        # the concrete class subclasses its Protocol explicitly (mypy checks conformance where defined)
        concrete = [cls for cls in classes if protocol in cls.__mro__]
        assert len(concrete) == 1, f"{interface['class']} is implemented by {concrete}"
        for method in interface["methods"]:
            name = method["python_name"]
            assert callable(getattr(protocol, name, None)), f"{interface['class']}.{name} missing"
            assert callable(getattr(concrete[0], name, None)), f"{concrete[0].__name__}.{name} missing"


@each_endpoint
def test_each_concrete_dto_is_an_instance_of_its_runtime_checkable_protocol(spec: SpecEndpoint) -> None:
    module = spec.module()
    instances = [_empty_instance(spec, cls) for cls in _dto_classes(spec)]
    for interface in spec.interfaces:
        protocol = getattr(module, interface["class"])
        (implementation,) = (obj for obj in instances if protocol in type(obj).__mro__)
        assert isinstance(implementation, protocol)


@each_endpoint
def test_every_request_field_has_a_fluent_setter_and_a_getter(spec: SpecEndpoint) -> None:
    cls = spec.request_class()
    for field in spec.request_fields:
        request = cls()
        getter = getattr(request, getter_name(cls, field))
        expected_default = _spec_default(field.default) if field.default is not None else None
        assert getter() == expected_default, f"{field.wire}: fresh value"
        value = sample_value(cls, field)
        assert getattr(request, setter_name(field))(value) is request, f"{field.wire}: setter is not fluent"
        assert getter() == value, f"{field.wire}: getter after set"
        assert request.is_set(field.wire)


@each_endpoint
def test_request_fields_are_declared_in_the_order_of_the_spec(spec: SpecEndpoint) -> None:
    cls = spec.request_class()
    declared = [param_of(cls, f.wire) for f in spec.request_fields]
    assert [p.wire for p in declared] == [f.wire for f in spec.request_fields]


@each_endpoint
def test_every_response_field_has_a_getter(spec: SpecEndpoint) -> None:
    for response in spec.responses:
        cls = spec.response_class(response["class"])
        instance = _empty_instance(spec, cls)
        for field in iter_response_fields(response):
            getter = getattr(instance, getter_name(cls, field))
            getter()  # callable on a DTO read from an empty item, without raising


def _field(spec: SpecEndpoint, wire: str) -> SpecField:
    (found,) = (f for f in spec.request_fields if f.wire == wire)
    return found


@each_endpoint
def test_required_fields_and_one_of_groups_are_enforced_before_any_io(
    spec: SpecEndpoint, server: RecordingServer
) -> None:
    endpoint = spec.endpoint()
    # a required field with a PHP default (IndexPriceKline's interval) is always set: it cannot be missing
    must_set = [name for name in spec.required if _field(spec, name).default is None]
    with BybitAPI(server.url, API_KEY, SECRET) as api:
        for required in must_set:
            with pytest.raises(SDKException, match=rf"missing required field\(s\): (.*, )?{required}\b"):
                api.rest(endpoint, valid_request(spec, skip={required}))
        for group in one_of_groups(spec):
            with pytest.raises(SDKException, match="one of " + " / ".join(group) + " is required"):
                api.rest(endpoint, valid_request(spec, skip=set(group)))
        assert server.requests == []
        # the positive control: with them set, the request is valid and is sent
        api.rest(endpoint, valid_request(spec))
        # and any one member of a one-of group is enough
        for group in one_of_groups(spec):
            for member in group[1:]:
                request = valid_request(spec, skip=set(group))
                cls = spec.request_class()
                getattr(request, setter_name(_field(spec, member)))(sample_value(cls, _field(spec, member)))
                api.rest(endpoint, request)
    expected_calls = 1 + sum(len(g) - 1 for g in one_of_groups(spec))
    assert len(server.requests) == expected_calls


def test_every_response_class_of_the_spec_is_a_frozen_response_dto() -> None:
    for spec in ENDPOINTS:
        for response in spec.responses:
            cls = spec.response_class(response["class"])
            assert issubclass(cls, AbstractResponse)
            instance = _empty_instance(spec, cls)
            with pytest.raises(AttributeError, match="immutable"):
                instance.anything = 1  # type: ignore[attr-defined]
