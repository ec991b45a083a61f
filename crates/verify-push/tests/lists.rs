//! Lists follow `meta.next_page_url` by its `PageToken` only, stop at a cap, and can be read
//! page by page.

mod common;

use common::*;

fn factor(sid_suffix: char) -> serde_json::Value {
    let mut f: serde_json::Value =
        serde_json::from_str(&fixture("factors", "FetchFactor.fetchPush")).unwrap();
    f["sid"] = format!("YF{}", sid_suffix.to_string().repeat(32)).into();
    f
}

fn page(items: &[char], next: Option<&str>) -> String {
    serde_json::json!({
        "factors": items.iter().map(|c| factor(*c)).collect::<Vec<_>>(),
        "meta": { "page": 0, "page_size": 2, "key": "factors", "next_page_url": next },
    })
    .to_string()
}

/// Three pages; the next-page URLs point at another host, which must never be requested.
async fn three_pages(server: &mut mockito::ServerGuard) -> Vec<mockito::Mock> {
    let elsewhere = "https://evil.example/v2/Services/VA1/Entities/x/Factors";
    vec![
        server
            .mock("GET", mockito::Matcher::Regex("/Factors$".into()))
            .with_header("content-type", "application/json")
            .with_header("content-type", "application/json")
            .with_body(page(
                &['1', '2'],
                Some(&format!("{elsewhere}?PageSize=2&Page=1&PageToken=PT1")),
            ))
            .expect(1)
            .create_async()
            .await,
        server
            .mock("GET", mockito::Matcher::Regex("PageToken=PT1".into()))
            .with_header("content-type", "application/json")
            .with_header("content-type", "application/json")
            .with_body(page(
                &['3', '4'],
                Some(&format!("{elsewhere}?PageSize=2&Page=2&PageToken=PT2")),
            ))
            .expect(1)
            .create_async()
            .await,
        server
            .mock("GET", mockito::Matcher::Regex("PageToken=PT2".into()))
            .with_header("content-type", "application/json")
            .with_header("content-type", "application/json")
            .with_body(page(&['5'], None))
            .expect(1)
            .create_async()
            .await,
    ]
}

#[tokio::test]
async fn list_reads_every_page_by_page_token_on_the_clients_own_host() {
    let mut server = mockito::Server::new_async().await;
    let mocks = three_pages(&mut server).await;
    let all = client(&server.url())
        .service(VA)
        .entity(IDENTITY)
        .factors()
        .list()
        .await
        .unwrap();
    let sids: Vec<_> = all.iter().map(|f| &f.sid().as_str()[2..3]).collect();
    assert_eq!(sids, ["1", "2", "3", "4", "5"]);
    for mock in mocks {
        mock.assert_async().await;
    }
}

#[tokio::test]
async fn limit_stops_reading_pages() {
    let mut server = mockito::Server::new_async().await;
    let first = server
        .mock(
            "GET",
            mockito::Matcher::Regex("/Factors\\?PageSize=3$".into()),
        )
        .with_header("content-type", "application/json")
        .with_body(page(&['1', '2', '3'], Some("/x?PageToken=PT1&Page=1")))
        .expect(1)
        .create_async()
        .await;
    let more = server
        .mock("GET", mockito::Matcher::Regex("PageToken".into()))
        .expect(0)
        .create_async()
        .await;
    let some = client(&server.url())
        .service(VA)
        .entity(IDENTITY)
        .factors()
        .list()
        .limit(3)
        .await
        .unwrap();
    assert_eq!(some.len(), 3);
    first.assert_async().await;
    more.assert_async().await;
}

#[tokio::test]
async fn pages_are_read_one_request_at_a_time() {
    let mut server = mockito::Server::new_async().await;
    let _mocks = three_pages(&mut server).await;
    let mut pages = client(&server.url())
        .service(VA)
        .entity(IDENTITY)
        .factors()
        .list()
        .pages();
    let mut sizes = Vec::new();
    while let Some(page) = pages.next_page().await.unwrap() {
        sizes.push((page.items().len(), page.has_next()));
    }
    assert_eq!(sizes, [(2, true), (2, true), (1, false)]);
    assert!(pages.next_page().await.unwrap().is_none());
}

#[tokio::test]
async fn a_server_repeating_a_page_token_cannot_make_a_list_endless() {
    let mut server = mockito::Server::new_async().await;
    let looping = server
        .mock("GET", mockito::Matcher::Regex("/Factors".into()))
        .with_header("content-type", "application/json")
        .with_body(page(&['1'], Some("/x?PageToken=SAME&Page=1")))
        .expect(2)
        .create_async()
        .await;
    let err = client(&server.url())
        .service(VA)
        .entity(IDENTITY)
        .factors()
        .list()
        .await
        .unwrap_err();
    assert!(matches!(err, verify_push::Error::Decode(_)), "{err}");
    assert!(err.to_string().contains("repeats a page token"), "{err}");
    looping.assert_async().await;
}
