package jp.kairan.server.http;

import jp.kairan.server.search.SearchRequest;
import jp.kairan.server.search.SearchService;

/** Message search (HTTP-API.md "Search"). Validation of the parameters and authorization live in the search package. */
final class SearchEndpoints {
    private final SearchService search;

    SearchEndpoints(SearchService search) {
        this.search = search;
    }

    void register(ApiRouter r) {
        r.get("/api/v1/search", req -> search.search(req.principal(), SearchRequest.parse(req.query("q"), req.query("roomId"),
                req.query("senderId"), req.query("from"), req.query("to"), req.query("mentions"), req.query("sort"),
                req.query("limit"), req.query("cursor")), req.origin()));
    }
}
