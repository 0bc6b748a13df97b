/** Smoke test of hack/vmtest.sh: a JDK from the host runs in the guest and its exit code reaches the host. */
public final class Hello {
    public static void main(String[] args) throws Exception {
        String lsm = java.nio.file.Files.readString(java.nio.file.Path.of("/sys/kernel/security/lsm"));
        System.out.printf(
                "smoke: Java %s on kernel %s, active LSMs %s%n",
                Runtime.version(), System.getProperty("os.version"), lsm.strip());
        System.exit(Integer.parseInt(args[0]));
    }
}
