// Encrypt: the vendor's sample encrypt() verbatim, but java.util.Base64 for commons-codec and System.err for LOGGER.
// Run: javac -encoding UTF-8 -d /tmp Encrypt.java && java -cp /tmp Encrypt '<json>' '<key b64>'
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

public class Encrypt {
	public static String encrypt(String data, String key) {
		try {
			// 密钥转换
			SecretKey secretKey = toKey(key);
			byte[] enCodeFormat = secretKey.getEncoded();
			SecretKeySpec k = new SecretKeySpec(enCodeFormat, "AES");
			Cipher cipher = Cipher.getInstance("AES/ECB/PKCS5Padding");
			cipher.init(Cipher.ENCRYPT_MODE, k);
			byte[] dataArray = data.getBytes("utf-8");
			byte[] encode = cipher.doFinal(dataArray);
			// 密文转换
			return bytesToHexString(encode);
		} catch (Exception e) {
			System.err.println("failed to encrypt, data=" + data + ", key=" + key + ": " + e);
			return null;
		}
	}

	private static SecretKey toKey(String key) throws Exception {
		byte[] data = java.util.Base64.getDecoder().decode(key);
		SecretKey secretKey = new SecretKeySpec(data, "AES");
		return secretKey;
	}

	private static final String bytesToHexString(byte[] bArray) {
		StringBuffer sb = new StringBuffer(bArray.length);
		String sTemp;
		for (int i = 0; i < bArray.length; i++) {
			sTemp = Integer.toHexString(0xFF & bArray[i]);
			if (sTemp.length() < 2)
				sb.append(0);
			sb.append(sTemp.toUpperCase());
		}
		return sb.toString();
	}

	public static void main(String[] args) {
		System.out.println(encrypt(args[0], args[1]));
	}
}
