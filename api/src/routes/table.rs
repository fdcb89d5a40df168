//! The documented routes as templates with their methods, taken from the generated OpenAPI
//! document (the one list of routes). Lets the fallback handler tell a wrong method (405 with
//! `Allow`) from a path that does not exist (404).

use utoipa::openapi::OpenApi;

#[derive(Debug, Default)]
pub struct RouteTable {
    routes: Vec<(Vec<String>, Vec<&'static str>)>,
}

impl RouteTable {
    pub fn from_openapi(api: &OpenApi) -> Self {
        let routes = api
            .paths
            .paths
            .iter()
            .map(|(template, item)| {
                let methods = [
                    ("GET", item.get.is_some()),
                    ("PUT", item.put.is_some()),
                    ("POST", item.post.is_some()),
                    ("DELETE", item.delete.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("HEAD", item.head.is_some()),
                    ("OPTIONS", item.options.is_some()),
                ];
                let segments = template.split('/').map(str::to_owned).collect();
                let methods = methods
                    .iter()
                    .filter(|(_, on)| *on)
                    .map(|(m, _)| *m)
                    .collect();
                (segments, methods)
            })
            .collect();
        Self { routes }
    }

    /// The methods allowed on `path`, if some documented route matches it.
    pub fn allowed_methods(&self, path: &str) -> Option<Vec<&'static str>> {
        let segments: Vec<&str> = path.split('/').collect();
        let mut allowed: Vec<&'static str> = Vec::new();
        for (template, methods) in &self.routes {
            let matches = template.len() == segments.len()
                && template.iter().zip(&segments).all(|(t, s)| {
                    (t.starts_with('{') && t.ends_with('}') && !s.is_empty()) || t == s
                });
            if matches {
                for method in methods {
                    if !allowed.contains(method) {
                        allowed.push(method);
                    }
                }
            }
        }
        (!allowed.is_empty()).then_some(allowed)
    }
}

#[cfg(test)]
mod tests {
    use utoipa::openapi::path::{HttpMethod, OperationBuilder, PathItem, PathsBuilder};
    use utoipa::openapi::{InfoBuilder, OpenApiBuilder};

    use super::*;

    #[test]
    fn matches_templates_and_collects_methods() {
        let paths = PathsBuilder::new()
            .path(
                "/api/v1/things/{id}",
                PathItem::new(HttpMethod::Get, OperationBuilder::new()),
            )
            .path(
                "/healthz",
                PathItem::new(HttpMethod::Get, OperationBuilder::new()),
            )
            .build();
        let api = OpenApiBuilder::new()
            .info(InfoBuilder::new().title("t").version("1").build())
            .paths(paths)
            .build();
        let table = RouteTable::from_openapi(&api);
        assert_eq!(table.allowed_methods("/api/v1/things/7"), Some(vec!["GET"]));
        assert_eq!(table.allowed_methods("/healthz"), Some(vec!["GET"]));
        assert_eq!(table.allowed_methods("/api/v1/things/"), None);
        assert_eq!(table.allowed_methods("/api/v1/things/7/more"), None);
        assert_eq!(table.allowed_methods("/api/v1/other/7"), None);
    }
}
