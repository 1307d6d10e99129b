//! The reviewer's path through the UI in a real headless Chromium, driven over WebDriver
//! (Debian's `chromium` and `chromium-driver`, installed by `.ci/run`): log in, search
//! `bail emphytéotique`, filter by a wave, open a dossier, compare two, open the statistics and
//! check that a chart is drawn. Each page is saved as a screenshot under
//! `target/tmp/browser-screenshots/` (paths printed in the test output).
//!
//! Without a chromedriver the test says so and passes, except under CI (`CI` set), where it
//! fails: CI must run it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod support;

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use support::{PASSWORD, USER, site};

const WAIT: Duration = Duration::from_secs(20);

fn find_program(env: &str, candidates: &[&str]) -> Option<PathBuf> {
    if let Ok(path) = std::env::var(env) {
        return Some(PathBuf::from(path));
    }
    candidates.iter().map(PathBuf::from).find(|p| p.is_file())
}

/// Kills chromedriver (and so its browser) when the test ends, whichever way.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start_driver(chromedriver: &Path) -> (Driver, String) {
    let port = free_port();
    let child = Command::new(chromedriver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let driver = Driver(child);
    let deadline = Instant::now() + WAIT;
    while std::net::TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "chromedriver did not listen on {port}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    (driver, format!("http://127.0.0.1:{port}"))
}

struct Shots {
    dir: PathBuf,
    n: usize,
}

impl Shots {
    async fn take(&mut self, client: &Client, name: &str) {
        self.n += 1;
        let png = client.screenshot().await.unwrap();
        assert!(png.starts_with(b"\x89PNG"), "{name}: not a PNG");
        let path = self.dir.join(format!("{:02}-{name}.png", self.n));
        std::fs::write(&path, png).unwrap();
        println!("screenshot: {}", path.display());
    }
}

async fn wait_for(client: &Client, css: &str) -> fantoccini::elements::Element {
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|error| panic!("waiting for {css}: {error}"))
}

async fn path_and_query(client: &Client) -> String {
    let url = client.current_url().await.unwrap();
    match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reviewer_logs_in_searches_filters_reads_compares_and_sees_the_charts() {
    let chromedriver = find_program("CHROMEDRIVER", &["/usr/bin/chromedriver"]);
    let chromium = find_program(
        "CHROMIUM",
        &["/usr/bin/chromium", "/usr/bin/chromium-browser"],
    );
    let (Some(chromedriver), Some(chromium)) = (chromedriver, chromium) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run the browser test: install chromium and chromium-driver"
        );
        eprintln!("SKIPPED: no chromium/chromedriver (apt-get install chromium chromium-driver)");
        return;
    };

    let site = site();
    let listener = tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .await
        .unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = dossiers_web::router(site.state.clone());
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    let (_driver, webdriver) = start_driver(&chromedriver);
    let profile = tempfile::tempdir().unwrap();
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,1000",
                format!("--user-data-dir={}", profile.path().display()),
            ],
        }),
    );
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&webdriver)
        .await
        .expect("starting a headless Chromium session");
    let shots_dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-screenshots");
    std::fs::create_dir_all(&shots_dir).unwrap();
    let mut shots = Shots {
        dir: shots_dir,
        n: 0,
    };

    // Without a session, the search page sends the browser to the login form.
    client.goto(&format!("{base}/recherche")).await.unwrap();
    wait_for(&client, "#utilisateur").await;
    assert!(
        path_and_query(&client)
            .await
            .starts_with("/connexion?suite=")
    );
    client
        .find(Locator::Css("#utilisateur"))
        .await
        .unwrap()
        .send_keys(USER)
        .await
        .unwrap();
    client
        .find(Locator::Css("#mot_de_passe"))
        .await
        .unwrap()
        .send_keys(PASSWORD)
        .await
        .unwrap();
    shots.take(&client, "connexion").await;
    client
        .find(Locator::Css("#connexion"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    // Search.
    let query = wait_for(&client, "input#q").await;
    assert_eq!(path_and_query(&client).await, "/recherche");
    query.send_keys("bail emphytéotique\n").await.unwrap();
    wait_for(&client, "li.hit").await;
    let hits = client.find_all(Locator::Css("li.hit")).await.unwrap();
    assert!(!hits.is_empty());
    let first = hits[0].attr("data-id").await.unwrap().unwrap();
    let highlighted = client
        .find_all(Locator::Css("li.hit .snippet b"))
        .await
        .unwrap();
    assert!(!highlighted.is_empty(), "snippets are highlighted");
    let page = client.source().await.unwrap();
    assert!(
        page.contains("gen-0002"),
        "the dossier with an emphyteotic lease is found"
    );
    shots.take(&client, "recherche").await;

    // Filter by a wave: the facet link narrows the result, the filter shows as a chip.
    let wave_link = wait_for(
        &client,
        r#"section.facet[data-dimension="wave"] a[data-value="2"]"#,
    )
    .await;
    wave_link.click().await.unwrap();
    wait_for(&client, "ul.chips a").await;
    assert!(path_and_query(&client).await.contains("f=wave%3A2"));
    for hit in client.find_all(Locator::Css("li.hit .meta")).await.unwrap() {
        assert!(hit.text().await.unwrap().contains("vague 2"));
    }
    shots.take(&client, "recherche-vague-2").await;

    // Open a dossier.
    client
        .find(Locator::Css("li.hit a.title"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let title = wait_for(&client, "h1#titre").await;
    assert!(!title.text().await.unwrap().is_empty());
    assert!(path_and_query(&client).await.starts_with("/dossiers/"));
    wait_for(&client, "#alertes").await;
    wait_for(&client, "#fichiers a[download]").await;
    shots.take(&client, "dossier").await;

    // Compare two: tick two hits of a broad search and press the button.
    client
        .goto(&format!("{base}/recherche?q=atelier"))
        .await
        .unwrap();
    wait_for(&client, "li.hit").await;
    let boxes = client
        .find_all(Locator::Css("li.hit input[name=ids]"))
        .await
        .unwrap();
    assert!(boxes.len() >= 2, "two dossiers to compare");
    boxes[0].click().await.unwrap();
    boxes[1].click().await.unwrap();
    client
        .find(Locator::Css("#comparer-selection"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let table = wait_for(&client, "table#comparaison").await;
    let columns = table.find_all(Locator::Css("thead th")).await.unwrap();
    assert_eq!(columns.len(), 3, "the field column and two dossiers");
    assert!(
        !table
            .find_all(Locator::Css("tr.differs"))
            .await
            .unwrap()
            .is_empty()
    );
    shots.take(&client, "comparer").await;

    // Statistics: the charts are drawn (bars with a size on screen).
    client
        .find(Locator::LinkText("Statistiques"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(&client, "#stat-legal_form svg.chart").await;
    let drawn = client
        .execute(
            "const svg = document.querySelector('#stat-legal_form svg.chart');\
             const bars = svg.querySelectorAll('rect');\
             const box = svg.getBoundingClientRect();\
             const widest = Math.max(...Array.from(bars, b => b.getBoundingClientRect().width));\
             return {bars: bars.length, width: box.width, height: box.height, widest: widest};",
            vec![],
        )
        .await
        .unwrap();
    assert!(drawn["bars"].as_u64().unwrap() >= 1, "{drawn}");
    assert!(drawn["width"].as_f64().unwrap() > 100.0, "{drawn}");
    assert!(drawn["widest"].as_f64().unwrap() > 10.0, "{drawn}");
    let charts = client.find_all(Locator::Css("svg.chart")).await.unwrap();
    assert!(charts.len() >= 7, "{} charts", charts.len());
    shots.take(&client, "statistiques").await;

    // The first hit of the search is still reachable by its id.
    client
        .goto(&format!("{base}/dossiers/{first}"))
        .await
        .unwrap();
    wait_for(&client, "h1#titre").await;

    client.close().await.unwrap();
    server.abort();
}
