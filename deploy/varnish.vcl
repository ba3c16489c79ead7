# Varnish in front of the portal (docs/caching.md). Keeps anonymous public pages as
# long as their s-maxage says and drops a brand's pages when the portal bans its
# surrogate key after a save (CDN_PURGE_BACKEND=http, CDN_PURGE_URLS=http://varnish/).
# tests/reliability/test_varnish.py runs this file against a real gunicorn.
vcl 4.1;

backend portal {
    .host = "127.0.0.1";
    .port = "8000";
}

# Who may ban: the app servers. Put their addresses here.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "BAN") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.Surrogate-Key) {
            return (synth(400, "Surrogate-Key required"));
        }
        # "brand-3 brand-5" bans every object whose keys include either word.
        ban("obj.http.Surrogate-Key ~ (^|\s)(" + regsuball(req.http.Surrogate-Key, "\s+", "|") + ")(\s|$)");
        return (synth(200, "Banned"));
    }
    # Staff, the consultation form and anyone signed in always reach the portal.
    if (req.url ~ "^/(admin|consultation)(/|$)" || req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # Other cookies (the CSRF cookie of someone who opened the form) change nothing on a
    # public page: drop them so that everybody shares one copy.
    unset req.http.Cookie;
}

sub vcl_backend_response {
    # Only what the portal marks public is kept (it says s-maxage); the rest is passed.
    if (beresp.http.Cache-Control !~ "public") {
        set beresp.uncacheable = true;
        set beresp.ttl = 0s;
        return (deliver);
    }
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # The keys are for this cache only.
    unset resp.http.Surrogate-Key;
    unset resp.http.Cache-Tag;
}
