<?php
// webhook-receiver.php: a kefu webhook receiver for PHP 7.3+ (any web server with PHP): verifies X-Kefu-Signature, drops repeats by X-Kefu-Delivery.
//
// X-Kefu-Signature is "sha256=" and the hex HMAC-SHA256 of the raw body under
// the webhook's secret: verify php://input as received, before decoding it.
// Delivery is at least once; a repeat has the same X-Kefu-Delivery id.

$secret = getenv('KEFU_WEBHOOK_SECRET');          // the webhook's secret
$body = file_get_contents('php://input');
$signature = $_SERVER['HTTP_X_KEFU_SIGNATURE'] ?? '';
$delivery = $_SERVER['HTTP_X_KEFU_DELIVERY'] ?? '';

$expected = 'sha256=' . hash_hmac('sha256', $body, $secret);
if ($_SERVER['REQUEST_METHOD'] !== 'POST' || !hash_equals($expected, $signature)) {
    http_response_code(401);
    exit;
}

// Remember handled deliveries: a table whose primary key is the delivery id,
// written in the same transaction as the event's effects. Here, PDO/SQLite.
$db = new PDO('sqlite:' . sys_get_temp_dir() . '/kefu-webhooks.sqlite');
$db->setAttribute(PDO::ATTR_ERRMODE, PDO::ERRMODE_EXCEPTION);
$db->exec('CREATE TABLE IF NOT EXISTS kefu_deliveries (id TEXT PRIMARY KEY, event TEXT, at TEXT)');

$event = json_decode($body, true);
$db->beginTransaction();
$insert = $db->prepare('INSERT OR IGNORE INTO kefu_deliveries (id, event, at) VALUES (?, ?, ?)');
$insert->execute([$delivery, $event['event'], $event['occurred_at']]);
if ($insert->rowCount() === 0) {
    $db->rollBack();
    http_response_code(200);                       // a repeat: handled already
    exit;
}
try {
    switch ($event['event']) {
        case 'conversation.closed':
            // e.g. file $event['data']['conversation'] in the CRM
            break;
        case 'visitor.erased':
            // erase your copies of $event['data']['visitor']['record_id']
            break;
    }
    $db->commit();
    http_response_code(204);
} catch (Throwable $e) {
    $db->rollBack();
    http_response_code(500);                       // kefu tries again later
}
