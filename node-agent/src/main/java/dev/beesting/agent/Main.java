package dev.beesting.agent;

/** Entry point of the node agent. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.out.println("beesting-agent");
    }
}
