"""The OpenAPI schema names each input and output after its class: two classes of one name in
different routers would publish one body for both (the second replaced the first), and a client
generated from it would send, say, an error report's `assignee` to an application's assign."""

from collections import defaultdict

from ninja import Schema

from gongkai.api.api import api


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_schema_class_names_are_unique():
    api.get_openapi_schema()  # every router imported
    modules = defaultdict(set)
    for cls in _subclasses(Schema):
        if cls.__module__.startswith("gongkai."):
            modules[cls.__name__].add(cls.__module__)
    clashes = {name: sorted(found) for name, found in modules.items() if len(found) > 1}
    assert not clashes


def test_the_schema_describes_each_operations_own_body():
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]

    def body(path):
        ref = schema["paths"][path]["post"]["requestBody"]["content"]["application/json"]
        return set(components[ref["schema"]["$ref"].rsplit("/", 1)[1]]["properties"])

    assert body("/api/v1/applications/{application_id}/assign") == {"handler"}
    assert body("/api/v1/engagement/error-reports/{report_id}/assign") == {"assignee"}
    assert "reason" in body("/api/v1/catalogue/items/{item_id}/withdraw")
    assert "reason" not in body("/api/v1/applications/{application_id}/withdraw")
