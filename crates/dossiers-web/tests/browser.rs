//! The reviewer's path through the UI in a real headless Chromium, driven over WebDriver
//! (Debian's `chromium` and `chromium-driver`, installed by `.ci/run`): log in, search
//! `bail emphytéotique`, filter by a wave, sort everything by subsidy, open a dossier and check
//! that no two of its values overlap (element boxes from WebDriver), open its sources, see its
//! attached image inline, compare two and add a third, open the statistics and check that a
//! chart is drawn, meet an error page, log out. Each page is saved as a screenshot under
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

/// Fails when two of the dossier sheet's labels or values overlap on screen, or a value runs
/// out of its group (boxes from WebDriver's element rectangles).
async fn assert_no_overlap(client: &Client, when: &str) {
    let mut boxes = Vec::new();
    for group in client
        .find_all(Locator::Css(".sheet .group"))
        .await
        .unwrap()
    {
        let (gx, _, gw, _) = group.rectangle().await.unwrap();
        for cell in group.find_all(Locator::Css("dt, dd")).await.unwrap() {
            if !cell.is_displayed().await.unwrap() {
                continue;
            }
            let (x, y, w, h) = cell.rectangle().await.unwrap();
            let text = cell.text().await.unwrap();
            assert!(
                x + w <= gx + gw + 1.0,
                "{when}: {text:?} runs out of its group ({x}+{w} > {gx}+{gw})"
            );
            boxes.push((text, x, y, w, h));
        }
    }
    assert!(boxes.len() > 20, "{when}: {} boxes", boxes.len());
    for (i, a) in boxes.iter().enumerate() {
        for b in boxes.iter().skip(i + 1) {
            let apart_x = a.1 + a.3 <= b.1 + 0.5 || b.1 + b.3 <= a.1 + 0.5;
            let apart_y = a.2 + a.4 <= b.2 + 0.5 || b.2 + b.4 <= a.2 + 0.5;
            assert!(
                apart_x || apart_y,
                "{when}: {:?} and {:?} overlap: {a:?} {b:?}",
                a.0,
                b.0
            );
        }
    }
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
    // Only this run's pages: a renamed or dropped step must not leave an old picture behind.
    let _ = std::fs::remove_dir_all(&shots_dir);
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

    // Open a dossier from the filtered list: the way back keeps the filter.
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
    let back = client.find(Locator::Css("a#retour")).await.unwrap();
    assert!(
        back.attr("href")
            .await
            .unwrap()
            .unwrap()
            .contains("f=wave%3A2")
    );
    shots.take(&client, "dossier").await;

    // Sort everything by subsidy, largest first, with the form's own controls.
    client.goto(&format!("{base}/recherche")).await.unwrap();
    wait_for(&client, "select#tri")
        .await
        .select_by_value("subvention")
        .await
        .unwrap();
    client
        .find(Locator::Css(".row.sort button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(&client, "li.hit dd.subsidy").await;
    assert!(path_and_query(&client).await.contains("tri=subvention"));
    let mut subsidies = Vec::new();
    for cell in client
        .find_all(Locator::Css("li.hit dd.subsidy"))
        .await
        .unwrap()
    {
        let text = cell.text().await.unwrap();
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        if let Ok(amount) = digits.parse::<u64>() {
            subsidies.push(amount);
        }
    }
    assert!(subsidies.len() >= 2, "{subsidies:?}");
    assert!(subsidies.windows(2).all(|w| w[0] >= w[1]), "{subsidies:?}");
    let largest = client
        .find(Locator::Css("li.hit"))
        .await
        .unwrap()
        .attr("data-id")
        .await
        .unwrap()
        .unwrap();
    shots.take(&client, "recherche-par-subvention").await;

    // The dossier with the attachments: no two values of its sheet overlap, sources open or
    // folded, and every value stays inside its group.
    client
        .goto(&format!("{base}/dossiers/gen-0001"))
        .await
        .unwrap();
    wait_for(&client, "h1#titre").await;
    assert_no_overlap(&client, "sources folded").await;
    for summary in client
        .find_all(Locator::Css(".sheet details.sources > summary"))
        .await
        .unwrap()
    {
        summary.click().await.unwrap();
    }
    assert_no_overlap(&client, "sources open").await;
    shots.take(&client, "dossier-sources").await;

    // The attached image, inline: loaded from the server, drawn at a size.
    let image = wait_for(&client, "figure.preview img").await;
    client
        .execute(
            "document.querySelector('#fichiers').scrollIntoView();",
            vec![],
        )
        .await
        .unwrap();
    let loaded = client
        .execute(
            "const img = document.querySelector('figure.preview img');\
             return {complete: img.complete, natural: img.naturalWidth};",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(loaded["complete"], true, "{loaded}");
    assert_eq!(loaded["natural"], 320, "{loaded}");
    let (_, _, width, height) = image.rectangle().await.unwrap();
    assert!(width > 100.0 && height > 50.0, "{width}×{height}");
    assert!(image.is_displayed().await.unwrap());
    shots.take(&client, "dossier-image-jointe").await;
    // The PDF opens in the page on demand (whether headless Chromium draws it is up to its
    // viewer; the element is there, from this server).
    client
        .find(Locator::Css("details.preview > summary"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let object = wait_for(&client, "details.preview object").await;
    assert!(object.is_displayed().await.unwrap());
    assert!(
        object
            .attr("data")
            .await
            .unwrap()
            .unwrap()
            .ends_with("/apercu")
    );
    let viewer = client
        .execute("return navigator.pdfViewerEnabled;", vec![])
        .await
        .unwrap();
    println!("PDF viewer in this Chromium: {viewer}");
    // The viewer draws out of the page's DOM: give it a moment before the screenshot, which
    // is where its page shows (or the fallback link, if the content policy blocked it).
    tokio::time::sleep(Duration::from_millis(1500)).await;
    shots.take(&client, "dossier-pdf-joint").await;

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

    // Add a third from the page itself (the largest subsidy, unless it is already there),
    // then go back to the search.
    let mut compared = Vec::new();
    for column in client
        .find_all(Locator::Css("table#comparaison thead th[data-id]"))
        .await
        .unwrap()
    {
        compared.push(column.attr("data-id").await.unwrap().unwrap());
    }
    let third = std::iter::once(largest.clone())
        .chain((1..=6).map(|n| format!("gen-{n:04}")))
        .find(|id| !compared.contains(id))
        .unwrap();
    client
        .find(Locator::Css("input#ajout"))
        .await
        .unwrap()
        .send_keys(&third)
        .await
        .unwrap();
    client
        .find(Locator::Css("#ajouter button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(&client, "a.remove").await;
    let columns = client
        .find_all(Locator::Css("table#comparaison thead th"))
        .await
        .unwrap();
    assert_eq!(columns.len(), 4, "three dossiers now");
    shots.take(&client, "comparer-trois").await;
    client
        .find(Locator::Css("a#retour"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(&client, "li.hit").await;
    assert_eq!(path_and_query(&client).await, "/recherche?q=atelier");

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

    // An address that does not decode: a French page, with the header.
    client.goto(&format!("{base}/dossiers/%ff")).await.unwrap();
    let message = wait_for(&client, "p.message").await;
    assert!(
        message
            .text()
            .await
            .unwrap()
            .contains("n'a pas la forme attendue")
    );
    shots.take(&client, "erreur").await;

    // Leaving: a button on GET, the POST ends the session.
    client.goto(&format!("{base}/deconnexion")).await.unwrap();
    shots.take(&client, "deconnexion").await;
    wait_for(&client, "button#deconnexion")
        .await
        .click()
        .await
        .unwrap();
    wait_for(&client, "#utilisateur").await;
    client.goto(&format!("{base}/recherche")).await.unwrap();
    wait_for(&client, "#utilisateur").await;

    client.close().await.unwrap();
    server.abort();
}
