"""JSON-LD for the FAQ page: schema.org's FAQPage, one Question per published entry."""

from django.utils.html import strip_tags


def faq_page(entries) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": entry.question,
                # Search engines want the answer's text; the page shows its markup.
                "acceptedAnswer": {"@type": "Answer", "text": strip_tags(entry.answer).strip()},
            }
            for entry in entries
        ],
    }
