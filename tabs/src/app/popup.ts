/** Outside Teams, Apono's sign-in opens in a popup; resolve once the person closes or finishes it. */
export function openPopup(url: string): Promise<void> {
  const popup = window.open(url, 'apono-sign-in', 'width=600,height=720');
  if (!popup) {
    return Promise.reject(
      new Error('The sign-in window was blocked. Allow pop-ups for this site and try again.'),
    );
  }
  return new Promise((resolve) => {
    const timer = window.setInterval(() => {
      if (popup.closed) {
        window.clearInterval(timer);
        resolve();
      }
    }, 500);
  });
}
