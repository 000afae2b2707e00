fn main() {
    println!("zerodown");
}
