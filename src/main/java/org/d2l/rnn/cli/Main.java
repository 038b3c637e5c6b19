package org.d2l.rnn.cli;
public class Main { public static void main(String[] a) { System.out.println("hi " + org.nd4j.linalg.factory.Nd4j.create(2).shapeInfoToString()); } }
