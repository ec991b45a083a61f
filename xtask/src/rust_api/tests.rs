use super::*;

fn tree(files: &[(&str, &str)]) -> Tree {
    files
        .iter()
        .map(|(p, c)| (p.to_string(), c.as_bytes().to_vec()))
        .collect()
}

#[test]
fn reads_functions_types_and_what_they_send() {
    let api = read(&tree(&[
        (
            "src/apis/tokens_api.rs",
            r#"
            pub enum CreateTokenError { Status429(models::Too), UnknownValue(serde_json::Value) }
            /// Create a token
            pub async fn create_token(configuration: &configuration::Configuration, sid: &str, ttl: Option<i32>) -> Result<models::Token, Error<CreateTokenError>> {
                let uri_str = format!("{}/v2/Services/{ServiceSid}/Tokens", configuration.base_path, ServiceSid = sid);
                let mut req_builder = configuration.client.request(reqwest::Method::POST, &uri_str);
                if let Some(ref token) = configuration.bearer_access_token { req_builder = req_builder.bearer_auth(token.to_owned()); };
                todo!()
            }
            fn private() {}
            "#,
        ),
        (
            "src/models/mod.rs",
            "pub mod token;\npub use self::token::Token;\n",
        ),
        (
            "src/models/token.rs",
            r#"
            pub struct Token { #[serde(rename = "sid", default, skip_serializing_if = "Option::is_none")] pub sid: Option<Option<String>>, pub status: Status }
            impl Token { pub fn new(status: Status) -> Token { todo!() } }
            pub enum Status { #[serde(rename = "ok")] Ok }
            "#,
        ),
    ]))
    .unwrap();
    assert_eq!(api.modules.iter().collect::<Vec<_>>(), ["tokens_api"]);
    let f = &api.functions["tokens_api::create_token"];
    assert_eq!(
        f.args,
        [
            ("configuration", "&configuration::Configuration"),
            ("sid", "&str"),
            ("ttl", "Option<i32>")
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    assert_eq!(f.returns, "Result<models::Token, Error<CreateTokenError>>");
    assert_eq!(f.endpoint, "POST /v2/Services/{}/Tokens");
    assert_eq!(f.auth.iter().collect::<Vec<_>>(), ["bearer_access_token"]);
    assert_eq!(f.doc, "Create a token");
    assert!(!api.functions.contains_key("tokens_api::private"));
    let TypeDef::Struct {
        fields, new_args, ..
    } = &api.types["models::Token"]
    else {
        panic!("{:?}", api.types)
    };
    assert_eq!(fields[0].ty, "Option<Option<String>>");
    assert_eq!(fields[0].wire.as_deref(), Some("sid"));
    assert_eq!(
        new_args.as_deref(),
        Some(&[("status".to_string(), "Status".to_string())][..])
    );
    let TypeDef::Enum { variants, .. } = &api.types["models::token::Status"] else {
        panic!()
    };
    assert_eq!(variants[0].wire.as_deref(), Some("ok"));
    let TypeDef::Enum { variants, .. } = &api.types["apis::tokens_api::CreateTokenError"] else {
        panic!()
    };
    assert_eq!(variants[0].name, "Status429(models::Too)");
}

#[test]
fn unparsable_code_is_an_error_naming_the_file() {
    let err = read(&tree(&[("src/apis/x_api.rs", "pub fn (")])).unwrap_err();
    assert!(err.contains("src/apis/x_api.rs"), "{err}");
}

#[test]
fn an_operation_split_in_request_and_response_halves_is_read_as_the_operation() {
    let api = read(&tree(&[(
        "src/apis/tokens_api.rs",
        r#"
        /// Create a token
        pub async fn create_token(configuration: &configuration::Configuration, sid: &str) -> Result<models::Token, Error<CreateTokenError>> {
            let req = create_token_request(configuration, sid)?;
            todo!()
        }
        pub fn create_token_request(configuration: &configuration::Configuration, sid: &str) -> Result<reqwest::Request, Error<CreateTokenError>> {
            let uri_str = format!("{}/v2/Tokens/{Sid}", configuration.base_path, Sid = sid);
            let mut req_builder = configuration.client.request(reqwest::Method::POST, &uri_str);
            if let Some(ref auth_conf) = configuration.basic_auth { req_builder = req_builder.basic_auth(auth_conf.0.to_owned(), None); };
            todo!()
        }
        pub fn create_token_response(status: reqwest::StatusCode, content_type: super::ContentType, content: &[u8]) -> Result<models::Token, Error<CreateTokenError>> {
            todo!()
        }
        pub fn fetch_form_request(sid: &str) {}
        "#,
    )]))
    .unwrap();
    let names: Vec<_> = api.functions.keys().collect();
    // A name ending in `_request` with no operation beside it is a function of its own.
    assert_eq!(
        names,
        ["tokens_api::create_token", "tokens_api::fetch_form_request"]
    );
    let f = &api.functions["tokens_api::create_token"];
    assert_eq!(f.endpoint, "POST /v2/Tokens/{}");
    assert_eq!(f.auth.iter().collect::<Vec<_>>(), ["basic_auth"]);
    assert_eq!(f.returns, "Result<models::Token, Error<CreateTokenError>>");
}
