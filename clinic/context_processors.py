"""Template context shared by every page."""


def brand(request):
    """Expose the request's brand as ``brand`` (None on exempt paths and errors)."""
    return {"brand": getattr(request, "brand", None)}
