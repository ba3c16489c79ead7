"""Read a brand's sitemaps as a search engine does: the index at /sitemap.xml, then
every file it names."""

from urllib.parse import urlsplit
from xml.etree import ElementTree

from tests.conftest import HOST_A, client_for

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_documents(host: str = HOST_A) -> list[str]:
    """Each file the index names, in its order, as sent (each a <urlset>)."""
    client = client_for(host=host)
    index = ElementTree.fromstring(client.get("/sitemap.xml").content)
    assert index.tag == f"{NS}sitemapindex"
    documents = []
    for loc in index.iter(f"{NS}loc"):
        address = urlsplit(loc.text)
        assert address.netloc == host, loc.text  # on the brand's own host
        response = client.get(address.path)
        assert response.status_code == 200, address.path
        documents.append(response.content.decode())
    return documents


def sitemap_files(host: str = HOST_A) -> list[ElementTree.Element]:
    roots = [ElementTree.fromstring(document) for document in sitemap_documents(host)]
    assert all(root.tag == f"{NS}urlset" for root in roots)
    return roots


def sitemap_text(host: str = HOST_A) -> str:
    """Every file the index names, as one text (to look for an address in)."""
    return "\n".join(sitemap_documents(host))


def sitemap_urls(host: str = HOST_A) -> set[str]:
    return {loc.text for root in sitemap_files(host) for loc in root.iter(f"{NS}loc")}


def sitemap_lastmods(host: str = HOST_A) -> set[str]:
    return {e.text for root in sitemap_files(host) for e in root.iter(f"{NS}lastmod")}
