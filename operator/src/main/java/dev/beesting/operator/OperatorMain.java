package dev.beesting.operator;

/** Entry point of the cluster operator. */
public final class OperatorMain {
    private OperatorMain() {}

    public static void main(String[] args) {
        System.out.println("beesting-operator");
    }
}
