"""The JSON-LD check itself (tests/portal/schema_org.py) finds what it must: a check
that could not fail would prove nothing about the pages."""

from tests.portal.schema_org import problems


def test_a_physician_alone_cannot_carry_a_persons_properties():
    node = {"@type": "Physician", "name": "Dr. A", "jobTitle": "Psychiatrist"}
    assert problems(node, top=False) == [": Physician has no property 'jobTitle'"]
    both = {"@type": ["Person", "Physician"], "name": "Dr. A", "jobTitle": "Psychiatrist"}
    assert problems(both, top=False) == []


def test_a_clinic_without_an_address_and_an_unknown_type_are_caught():
    assert problems({"@type": "MedicalClinic", "name": "X"}, top=False) == [
        ": MedicalClinic lacks required 'address'"
    ]
    assert problems({"@type": "MedicalClinc", "name": "X"}) == [
        ": ['MedicalClinc'] is not a type this check knows"
    ]


def test_nested_nodes_are_checked_and_recommendations_asked_of_the_page_only():
    page = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [{"@type": "ListItem", "position": 1, "name": ""}],
    }
    assert problems(page) == [".itemListElement[0].name: empty"]
    organization = {"@type": "MedicalOrganization", "name": "K", "url": "http://k/"}
    assert ": MedicalOrganization lacks recommended 'logo'" in problems(organization)
    assert problems({"@type": "Person", "name": "A", "worksFor": organization}, top=False) == []


def test_a_graph_is_checked_node_by_node():
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "MedicalTherapy", "name": "Infusions", "description": "d", "url": "u"},
            {"@type": "Offer", "price": "10"},
        ],
    }
    assert problems(graph) == ["@graph[1]: Offer lacks required 'itemOffered'"]
