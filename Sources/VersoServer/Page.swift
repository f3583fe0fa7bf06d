// The playground page and the OpenAPI document, built into the binary (no CDN, no build step).
import Hummingbird

enum Page {
    enum Asset {
        case indexHTML, appJS, readJS, cellsJS, mapJS, styleCSS, openAPI
    }

    static func response(_ asset: Asset) -> Response {
        let (bytes, type): ([UInt8], String) =
            switch asset {
            case .indexHTML: (PackageResources.index_html, "text/html; charset=utf-8")
            case .appJS: (PackageResources.app_js, "text/javascript; charset=utf-8")
            case .readJS: (PackageResources.read_js, "text/javascript; charset=utf-8")
            case .cellsJS: (PackageResources.cells_js, "text/javascript; charset=utf-8")
            case .mapJS: (PackageResources.map_js, "text/javascript; charset=utf-8")
            case .styleCSS: (PackageResources.style_css, "text/css; charset=utf-8")
            case .openAPI: (PackageResources.openapi_json, "application/json; charset=utf-8")
            }
        var response = Response(status: .ok, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        response.headers[.contentType] = type
        response.headers[.cacheControl] = "no-cache"
        return response
    }
}
