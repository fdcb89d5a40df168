//! Bounds every id in a path states: ids are positive 64-bit integers, so a larger number is a
//! malformed request (400) and a smaller one names nothing (404), as the server answers.

use utoipa::Number;
use utoipa::openapi::path::ParameterIn;
use utoipa::openapi::schema::{Schema, Type};
use utoipa::openapi::{OpenApi, RefOr};

pub fn bound_path_ids(api: &mut OpenApi) {
    for (_, _, operation) in super::operations(api) {
        for parameter in operation.parameters.iter_mut().flatten() {
            let RefOr::T(parameter) = parameter else {
                continue;
            };
            if parameter.parameter_in != ParameterIn::Path {
                continue;
            }
            if let Some(RefOr::T(Schema::Object(object))) = parameter.schema.as_mut()
                && object.schema_type == Type::Integer.into()
            {
                object.minimum = Some(Number::Int(1));
                object.maximum = Some(Number::Int(isize::MAX));
            }
        }
    }
}
