//! Inteliquent's JSON (`docs/carrier.md`), read by the client (answers)
//! and by the simulator (requests). Readers are tolerant where the carrier is inconsistent:
//! numbers and auth ids arrive as JSON strings or numbers, with or without a leading 1 or `+`.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// Ten NANP digits from what the carrier sends: `"13125550100"`, `13125550100`, `"+1312…"`,
/// `"3125550100"`. `None` for anything else.
pub fn ten_digits(raw: &str) -> Option<String> {
    let digits = raw.trim().trim_start_matches('+');
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match digits.len() {
        10 => Some(digits.to_owned()),
        11 if digits.starts_with('1') => Some(digits[1..].to_owned()),
        _ => None,
    }
}

/// The Message Broker's form of a number: 11 digits with the leading 1, no `+`.
pub fn eleven_digits(ten: &str) -> String {
    format!("1{ten}")
}

fn text_of(value: Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A JSON string or number, as a string.
fn loose<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<Value>::deserialize(d)?.and_then(text_of))
}

fn loose_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(Option::<Vec<Value>>::deserialize(d)?
        .unwrap_or_default()
        .into_iter()
        .filter_map(text_of)
        .collect())
}

/// The status every Services API answer carries: `statusCode` is a string such as "200",
/// "430" (no result) or "401001" (bad credentials), inside an HTTP 200 or not.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServicesStatus {
    #[serde(default, deserialize_with = "loose")]
    pub status_code: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrivateKeyOnly {
    pub private_key: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TnDetailRequest {
    pub private_key: String,
    pub tn_search_list: TnSearchList,
    pub page_sort: PageSort,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TnSearchList {
    pub tn_search_item: Vec<TnSearchItem>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TnSearchItem {
    #[serde(default, deserialize_with = "loose")]
    pub tn_mask: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct PageSort {
    pub page: u32,
    pub size: u32,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TnDetailResponse {
    #[serde(default)]
    pub tn_list: Option<TnList>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TnList {
    #[serde(default)]
    pub tn_item: Vec<TnItem>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TnItem {
    #[serde(default, deserialize_with = "loose")]
    pub tn: Option<String>,
    #[serde(default)]
    pub tn_status: Option<String>,
    #[serde(default)]
    pub tn_feature: Option<TnFeature>,
}

#[derive(Debug, Deserialize)]
pub struct TnFeature {
    #[serde(default)]
    pub messaging: Option<MessagingFeature>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MessagingFeature {
    #[serde(default)]
    pub message_class: Option<String>,
    #[serde(default)]
    pub message_type: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TnMessagingRequest {
    pub private_key: String,
    #[serde(default, deserialize_with = "loose")]
    pub tn: Option<String>,
    #[serde(default)]
    pub message_class: Option<String>,
    #[serde(default)]
    pub message_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remove_messaging: Option<String>,
}

/// A Message Broker answer: `{success, reason, detail}` plus what the call returns.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BrokerReply {
    #[serde(default)]
    pub success: bool,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub detail: Option<String>,
    #[serde(default)]
    pub auth_config: Option<AuthConfig>,
    #[serde(default)]
    pub result: Option<PublishResult>,
}

#[derive(Debug, Default, Deserialize)]
pub struct AuthConfig {
    #[serde(default)]
    pub authorizations: Vec<Authorization>,
}

/// One broker authorization: an outbound API key (`inboundAuth: false`) or a webhook.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Authorization {
    #[serde(
        default,
        deserialize_with = "loose",
        skip_serializing_if = "Option::is_none"
    )]
    pub auth_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inbound_auth: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_url: Option<String>,
    #[serde(
        default,
        deserialize_with = "loose",
        skip_serializing_if = "Option::is_none"
    )]
    pub tn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_value: Option<String>,
}

/// `configureAuthorization` and `removeAuthorization` bodies.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Authorizations {
    #[serde(default)]
    pub authorizations: Vec<Authorization>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PublishRequest {
    #[serde(default, deserialize_with = "loose")]
    pub from: Option<String>,
    #[serde(default, deserialize_with = "loose_list")]
    pub to: Vec<String>,
    #[serde(default)]
    pub text: String,
    /// Assumption C6 (docs/carrier.md): absent or empty means SMS.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub media_urls: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PublishResult {
    pub reference_id: String,
    #[serde(default)]
    pub result_responses: Vec<ResultResponse>,
}

#[derive(Debug, Deserialize)]
pub struct ResultResponse {
    #[serde(default)]
    pub status: Option<String>,
}

/// What the carrier POSTs to our webhook: an inbound message or a delivery receipt. Numbers
/// may come as strings or JSON numbers, with or without the leading 1 or `+`.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InboundPost {
    pub reference_id: String,
    #[serde(default, deserialize_with = "loose")]
    pub from: Option<String>,
    #[serde(default, deserialize_with = "loose_list")]
    pub to: Vec<String>,
    #[serde(default)]
    pub text: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub media_urls: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_receipt: Option<bool>,
}

#[cfg(test)]
mod tests {
    //! Example bodies of Inteliquent's documentation, verbatim.

    use super::*;

    #[test]
    fn numbers_in_every_form_the_carrier_uses() {
        for raw in ["13125550100", "+13125550100", "3125550100", " 13125550100 "] {
            assert_eq!(ten_digits(raw).as_deref(), Some("3125550100"), "{raw}");
        }
        for raw in ["23125550100", "312555010", "31255501000x", ""] {
            assert_eq!(ten_digits(raw), None, "{raw}");
        }
        assert_eq!(eleven_digits("3125550100"), "13125550100");
    }

    #[test]
    fn tn_detail_example() {
        let body = r#"{
          "statusCode": "200", "status": "Success",
          "page": "1", "totalPages": "1", "totalItems": "1", "searchId": "DnF1ZXJ5",
          "tnList": { "tnItem": [ {
            "tn": "2012151499", "tnStatus": "In Service",
            "trunkGroup": "ATLNGAQS08T_266", "lata": "224", "rateCenter": "BAYONNE",
            "activateDate": "2017-03-29T14:00:46.000+0000", "dno": "Y", "altSpid": "0213654897",
            "endUser": {},
            "tnFeature": { "callerId": { "cnamDip": "N" }, "directoryListing": {}, "e911": {},
              "messaging": {} }
          } ] }
        }"#;
        let status: ServicesStatus = serde_json::from_str(body).expect("parses");
        assert_eq!(status.status_code.as_deref(), Some("200"));
        let parsed: TnDetailResponse = serde_json::from_str(body).expect("parses");
        let item = &parsed.tn_list.expect("list").tn_item[0];
        assert_eq!(item.tn.as_deref(), Some("2012151499"));
        let messaging = item.tn_feature.as_ref().and_then(|f| f.messaging.as_ref());
        assert!(
            messaging.is_some_and(|m| m.message_type.is_none()),
            "{{}}: not provisioned"
        );
    }

    #[test]
    fn business_errors_inside_the_body() {
        let body = r#"{"statusCode":"430","status":"No Result Found"}"#;
        let status: ServicesStatus = serde_json::from_str(body).expect("parses");
        assert_eq!(status.status_code.as_deref(), Some("430"));
        let no_result: TnDetailResponse = serde_json::from_str(body).expect("parses");
        assert!(no_result.tn_list.is_none());
        let auth: ServicesStatus = serde_json::from_str(
            r#"{"message":"Invalid authentication information provided","status":"Invalid credentials","statusCode":"401001","timestamp":"2019-12-10T14:07:32.310-0600"}"#,
        )
        .expect("parses");
        assert_eq!(auth.status_code.as_deref(), Some("401001"));
    }

    #[test]
    fn select_authorization_example_with_numeric_ids() {
        let body = r#"{ "success": true, "reason": "SUCCESS", "detail": "SUCCESS",
          "authConfig": { "authorizations": [
            { "authId": 19, "inboundAuth": false, "apiKey": "BfRNW5DD" },
            { "authId": "20", "inboundAuth": true, "tn": 8454777374,
              "headerName": "Authorization", "headerValue": "Bearer 123456abc",
              "webhookUrl": "testwebhookcallback.com" } ] } }"#;
        let parsed: BrokerReply = serde_json::from_str(body).expect("parses");
        let auths = parsed.auth_config.expect("config").authorizations;
        assert_eq!(auths[0].auth_id.as_deref(), Some("19"));
        assert_eq!(auths[1].auth_id.as_deref(), Some("20"));
        assert_eq!(auths[1].tn.as_deref(), Some("8454777374"));
        assert_eq!(auths[1].inbound_auth, Some(true));
    }

    #[test]
    fn publish_example() {
        let body = r#"{ "success": true, "reason": "SUCCESS", "detail": "SUCCESS",
          "result": {
            "referenceId": "d88231b5-13b3-4fb2-8528-bc7164309389",
            "from": "19205551234", "text": "Hello",
            "mediaUrls": ["https://www.inteliquent.com/INQT/media/INQT/Theme/images/logo.svg"],
            "messageType": "MMS",
            "resultResponses": [ { "to": "19205551235", "status": "SUCCESS" } ] } }"#;
        let parsed: BrokerReply = serde_json::from_str(body).expect("parses");
        let result = parsed.result.expect("result");
        assert_eq!(result.reference_id, "d88231b5-13b3-4fb2-8528-bc7164309389");
        assert_eq!(
            result.result_responses[0].status.as_deref(),
            Some("SUCCESS")
        );
        let request = PublishRequest {
            from: Some("19205551234".into()),
            to: vec!["19205551235".into()],
            text: "Hello".into(),
            media_urls: Vec::new(),
        };
        assert_eq!(
            serde_json::to_value(&request).expect("json"),
            serde_json::json!({ "from": "19205551234", "to": ["19205551235"], "text": "Hello" })
        );
    }

    #[test]
    fn inbound_mms_with_unquoted_numbers() {
        let body = r#"{ "referenceId": "AccO09773Fd7Gdec", "from": 13123752629, "text": "This message is fun",
          "to": [12345678901, 14567890232, 18098767654],
          "mediaUrls": ["http://cnn.com/attachment/file1.ext", "http://cnn.com/attachment/file2.ext"] }"#;
        let parsed: InboundPost = serde_json::from_str(body).expect("parses");
        assert_eq!(parsed.from.as_deref(), Some("13123752629"));
        assert_eq!(parsed.to.len(), 3);
        assert_eq!(parsed.media_urls.len(), 2);
        assert_eq!(parsed.delivery_receipt, None);
    }
}
