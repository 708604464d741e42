// The Pocket POS till, as a minimal Expo app: the catalogue from the API. The development container serves it
// with Metro; a change to this file reaches a device (or the bundle) without a rebuild.
import { useEffect, useState } from "react";
import { FlatList, SafeAreaView, StyleSheet, Text, View } from "react-native";
import { apiUrl, formatCents } from "../lib/config";

export const TITLE = "Pocket POS till";

export default function App() {
  const [products, setProducts] = useState([]);
  const [error, setError] = useState(null);
  useEffect(() => {
    fetch(`${apiUrl(process.env.EXPO_PUBLIC_API_URL)}/products`)
      .then((response) => (response.ok ? response.json() : Promise.reject(new Error(`HTTP ${response.status}`))))
      .then(setProducts, (caught) => setError(caught.message));
  }, []);
  return (
    <SafeAreaView style={styles.screen}>
      <Text style={styles.title}>{TITLE}</Text>
      {error ? <Text style={styles.error}>The API did not answer: {error}</Text> : null}
      <FlatList
        data={products}
        keyExtractor={(product) => String(product.id)}
        renderItem={({ item }) => (
          <View style={styles.row}>
            <Text>{item.name}</Text>
            <Text>{formatCents(item.priceCents)}</Text>
          </View>
        )}
      />
    </SafeAreaView>
  );
}

const styles = StyleSheet.create({
  screen: { flex: 1, padding: 16 },
  title: { fontSize: 24, fontWeight: "600", marginBottom: 12 },
  error: { color: "#b00020", marginBottom: 12 },
  row: { flexDirection: "row", justifyContent: "space-between", paddingVertical: 8 },
});
