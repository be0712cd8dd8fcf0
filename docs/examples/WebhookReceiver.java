// WebhookReceiver.java: a kefu webhook receiver for Java 11+ (JDK only): verifies X-Kefu-Signature, drops repeats by X-Kefu-Delivery.
//
//   KEFU_WEBHOOK_SECRET=... PORT=8000 java WebhookReceiver.java
//
// X-Kefu-Signature is "sha256=" and the hex HMAC-SHA256 of the raw body under
// the webhook's secret: verify the bytes as received, before parsing them.
// Delivery is at least once; a repeat has the same X-Kefu-Delivery id.
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

public class WebhookReceiver {
	// In production: a table with the delivery id as its primary key, written
	// in the same transaction as the event's effects.
	static final Set<String> seen = ConcurrentHashMap.newKeySet();

	static boolean verify(byte[] secret, byte[] body, String header) throws Exception {
		if (header == null || !header.startsWith("sha256="))
			return false;
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(secret, "HmacSHA256"));
		byte[] want = mac.doFinal(body);
		String hex = header.substring(7);
		if (hex.length() != want.length * 2)
			return false;
		byte[] got = new byte[want.length];
		for (int i = 0; i < got.length; i++) {
			int hi = Character.digit(hex.charAt(2 * i), 16), lo = Character.digit(hex.charAt(2 * i + 1), 16);
			if (hi < 0 || lo < 0)
				return false;
			got[i] = (byte) (hi << 4 | lo);
		}
		return MessageDigest.isEqual(want, got); // constant time
	}

	static void onEvent(String delivery, String event, String body) {
		// Parse body with your JSON library (Jackson, Gson, ...): {event, tenant_id, occurred_at, data}.
		System.out.println(delivery + " " + event + " " + body);
		System.out.flush();
	}

	static void handle(HttpExchange x, byte[] secret) throws IOException {
		int status;
		try {
			byte[] body;
			try (InputStream in = x.getRequestBody()) {
				body = in.readNBytes(1 << 20);
			}
			String delivery = x.getRequestHeaders().getFirst("X-Kefu-Delivery");
			if (!"POST".equals(x.getRequestMethod()) || !verify(secret, body, x.getRequestHeaders().getFirst("X-Kefu-Signature")))
				status = 401;
			else if (seen.contains(delivery))
				status = 200; // a repeat: handled already
			else {
				onEvent(delivery, x.getRequestHeaders().getFirst("X-Kefu-Event"), new String(body, StandardCharsets.UTF_8));
				seen.add(delivery);
				status = 204;
			}
		} catch (Exception e) {
			status = 500; // kefu tries again later
		}
		x.sendResponseHeaders(status, -1);
		x.close();
	}

	public static void main(String[] args) throws IOException {
		String s = System.getenv("KEFU_WEBHOOK_SECRET");
		if (s == null || s.isEmpty())
			throw new IllegalStateException("set KEFU_WEBHOOK_SECRET to the webhook's secret");
		byte[] secret = s.getBytes(StandardCharsets.UTF_8);
		String host = System.getenv().getOrDefault("HOST", "127.0.0.1");
		int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8000"));
		HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
		server.createContext("/", x -> handle(x, secret));
		server.start();
		System.out.println("listening on " + server.getAddress().getPort());
		System.out.flush();
	}
}
