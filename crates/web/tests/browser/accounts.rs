//! Accounts in a real browser: the board creates an examiner, the
//! examiner logs in and enrols a second factor from the QR code page, the
//! board removes the lost factor, and the password alone logs in again.

use totp_rs::{Builder, Secret};

use super::support::{BOARD_PASSWORD, Journey, journey, log_in, log_out, wait_url};
use super::{click_in_view, screenshot_path};

const EXAMINER: &str = "exp-navigateur";
const EXAMINER_PASSWORD: &str = "Soleil-sur-le-Jura-2027";

#[test]
fn the_board_creates_an_examiner_who_enrols_a_second_factor_that_the_board_then_resets() {
    let Some(Journey { lock: _lock, demo, browser }) = journey() else { return };
    let base = demo.base();

    // The board creates the examiner's account.
    log_in(&browser, &base, "commission", BOARD_PASSWORD);
    wait_url(&browser, "/board");
    browser.goto(&format!("{base}/board/users"));
    browser.wait_element("#create-user-form");
    browser.send_keys(&browser.find("#new-username"), EXAMINER);
    browser.send_keys(&browser.find("#new-user-password"), EXAMINER_PASSWORD);
    click_in_view(&browser, "#create-user");
    wait_url(&browser, "done=created");
    assert!(browser.text(&browser.find("#notice")).contains(EXAMINER));
    browser.assert_no_csp_violations();
    log_out(&browser);

    // The examiner logs in and turns a second factor on.
    log_in(&browser, &base, EXAMINER, EXAMINER_PASSWORD);
    wait_url(&browser, "/examiner");
    click_in_view(&browser, "#account-security");
    wait_url(&browser, "/account/security");
    click_in_view(&browser, "#totp-start");
    browser.wait_element("#totp-qr-caption");
    assert_eq!(browser.find_all("svg.totp-qr").len(), 1);
    let secret = browser.property(&browser.find("input[name=secret]"), "value");
    let secret = secret.as_str().expect("the key").to_owned();
    assert_eq!(browser.find_all("#recovery-codes li").len(), 10);
    browser.screenshot(&screenshot_path("account-second-factor"), 1280, 1800);
    let totp = Builder::new().with_secret(Secret::try_from_base32(&secret).unwrap()).build().unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    browser.send_keys(&browser.find("#totp-code"), &totp.generate(now).to_string());
    click_in_view(&browser, "#totp-confirm");
    wait_url(&browser, "done=totp_on");
    browser.wait_element("#totp-disable-form");
    browser.assert_no_csp_violations();
    log_out(&browser);

    // The phone is lost: the board removes the second factor.
    log_in(&browser, &base, "commission", BOARD_PASSWORD);
    wait_url(&browser, "/board");
    browser.goto(&format!("{base}/board/users"));
    browser.wait_element("#users-table");
    click_in_view(&browser, &format!("#reset-totp-{EXAMINER}"));
    wait_url(&browser, "done=totp");
    assert!(browser.find_all(&format!("#reset-totp-{EXAMINER}")).is_empty(), "no factor left to remove");
    log_out(&browser);

    // The password alone logs the examiner in again.
    log_in(&browser, &base, EXAMINER, EXAMINER_PASSWORD);
    wait_url(&browser, "/examiner");
    browser.assert_no_csp_violations();
}
