//! Request bodies shared by a create and a change, where the create needs fields the change
//! may leave out: the create's body is the shared schema with those fields required and set.

use utoipa::openapi::schema::{AllOfBuilder, ObjectBuilder, Schema, Type};
use utoipa::openapi::{OpenApi, Ref, RefOr};

/// A field a create requires, with the schema its value must have.
type Required = (&'static str, RefOr<Schema>);

/// Each such operation with the fields it requires.
fn required_on_create() -> [(&'static str, Vec<Required>); 2] {
    let string = || ObjectBuilder::new().schema_type(Type::String).into();
    [
        ("create_provider", vec![("name", string())]),
        (
            "create_media_stream",
            vec![
                ("name", string()),
                ("media_type", Ref::from_schema_name("MediaType").into()),
            ],
        ),
    ]
}

pub fn require_on_create(api: &mut OpenApi) {
    let rules = required_on_create();
    for (_, _, operation) in super::operations(api) {
        let Some((_, fields)) = rules
            .iter()
            .find(|(id, _)| operation.operation_id.as_deref() == Some(*id))
        else {
            continue;
        };
        let Some(RefOr::T(body)) = operation.request_body.as_mut() else {
            continue;
        };
        for content in body.content.values_mut() {
            let RefOr::T(content) = content else { continue };
            let Some(shared) = content.schema.take() else {
                continue;
            };
            let mut required = ObjectBuilder::new().schema_type(Type::Object);
            for (name, schema) in fields {
                required = required.property(*name, schema.clone()).required(*name);
            }
            let all = AllOfBuilder::new().item(shared).item(required.build());
            content.schema = Some(RefOr::T(Schema::AllOf(all.build())));
        }
    }
}
